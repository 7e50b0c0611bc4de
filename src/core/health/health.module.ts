import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from '../http/health.controller';
import { SmtpProbe } from '../mail/smtp-probe';
import { HealthService } from './health.service';
import { WorkerHeartbeatsRepository } from './worker-heartbeats.repository';

/** GET /health and /health/live. terminus logs nothing of its own: a failing part is in the answer, and probes are many. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [HealthService, SmtpProbe, WorkerHeartbeatsRepository],
})
export class HealthModule {}
