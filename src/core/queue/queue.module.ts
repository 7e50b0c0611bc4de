import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { redisConfig, type RedisConfig } from '../config';
import { QueueName } from './jobs';
import { OutboxRelayService } from './outbox-relay.service';
import { redisOptionsFromUrl } from './redis-options';

const queues = Object.values(QueueName).map((name) =>
  BullModule.registerQueueAsync({
    name,
    inject: [redisConfig.KEY],
    // Producers fail fast while Redis is away, so the outbox keeps the row instead of a command piling up in memory.
    useFactory: (redis: RedisConfig) => ({
      prefix: redis.prefix,
      connection: { ...redisOptionsFromUrl(redis.url), enableOfflineQueue: false },
    }),
  }),
);

/** BullMQ for the worker process: the queues, their Redis connection and the outbox relay. */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [redisConfig.KEY],
      useFactory: (redis: RedisConfig) => ({
        prefix: redis.prefix,
        connection: { ...redisOptionsFromUrl(redis.url), maxRetriesPerRequest: null },
      }),
    }),
    ...queues,
  ],
  providers: [OutboxRelayService],
  exports: [...queues, OutboxRelayService],
})
export class QueueModule {}
