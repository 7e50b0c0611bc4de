import { Module } from '@nestjs/common';
import { CoreModule } from './core/core.module';
import { WorkerHeartbeatModule } from './core/health/worker-heartbeat.module';
import { EmailIntakeModule } from './email-intake/email-intake.module';
import { MailModule } from './letters/mail.module';
import { LinksModule } from './links/links.module';
import { PrivacyWorkerModule } from './privacy/privacy-worker.module';
import { ReconcileModule } from './reconcile/reconcile.module';
import { TakedownsModule } from './takedowns/takedowns.module';

/**
 * The worker: outbox relay, queue processors, the takedown and retention schedules and the reconciler that puts back
 * work Redis lost, and its heartbeat for /health. Run as many as you like.
 */
@Module({
  imports: [
    CoreModule,
    LinksModule,
    TakedownsModule,
    MailModule,
    EmailIntakeModule,
    ReconcileModule,
    PrivacyWorkerModule,
    WorkerHeartbeatModule,
  ],
})
export class WorkerModule {}
