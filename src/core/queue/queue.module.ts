import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { redisConfig, type RedisConfig } from '../config';
import { QueueName } from './jobs';
import { OutboxRelayService } from './outbox-relay.service';
import { Queues } from './queues';
import { redisOptionsFromUrl } from './redis-options';
import { WorkerShutdown } from './worker-shutdown';

// @nestjs/bullmq builds each queue's worker from the queue's own options, so the connection must suit a worker too:
// with ioredis' offline queue disabled, a worker whose Redis is away retries in a tight loop without ever yielding.
// The outbox relay bounds its own wait for an add instead (see OutboxRelayService).
const queues = Object.values(QueueName).map((name) =>
  BullModule.registerQueueAsync({
    name,
    inject: [redisConfig.KEY],
    useFactory: (redis: RedisConfig) => ({
      prefix: redis.prefix,
      connection: { ...redisOptionsFromUrl(redis.url), maxRetriesPerRequest: null },
    }),
  }),
);

/** BullMQ for the worker process: the queues, their Redis connection, the outbox relay and the orderly stop. */
@Module({
  imports: [
    DiscoveryModule,
    BullModule.forRootAsync({
      inject: [redisConfig.KEY],
      useFactory: (redis: RedisConfig) => ({
        prefix: redis.prefix,
        connection: { ...redisOptionsFromUrl(redis.url), maxRetriesPerRequest: null },
      }),
    }),
    ...queues,
  ],
  providers: [Queues, OutboxRelayService, WorkerShutdown],
  exports: [...queues, Queues, OutboxRelayService, WorkerShutdown],
})
export class QueueModule {}
