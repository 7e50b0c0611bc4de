import { Module } from '@nestjs/common';
import { WorkerHeartbeatService } from './worker-heartbeat.service';
import { WorkerHeartbeatsRepository } from './worker-heartbeats.repository';

/** In every worker process: its heartbeat, which /health reads. */
@Module({ providers: [WorkerHeartbeatsRepository, WorkerHeartbeatService] })
export class WorkerHeartbeatModule {}
