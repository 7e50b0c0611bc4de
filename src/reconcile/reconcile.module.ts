import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { reconcileConfig } from '../core/config';
import { QueueModule } from '../core/queue/queue.module';
import { OwedWorkRepository } from './owed-work.repository';
import { ReconcilerService } from './reconciler.service';
import { RedisDurabilityService } from './redis-durability.service';

/**
 * The worker's guard against Redis losing its data: the reconciler, which puts back on the queues the work Postgres
 * says is owed, and the check at start that Redis keeps its data as BullMQ asks.
 */
@Module({
  imports: [ConfigModule.forFeature(reconcileConfig), QueueModule],
  providers: [OwedWorkRepository, ReconcilerService, RedisDurabilityService],
  exports: [ReconcilerService, RedisDurabilityService],
})
export class ReconcileModule {}
