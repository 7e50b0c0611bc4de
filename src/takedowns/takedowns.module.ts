import { Module } from '@nestjs/common';
import { CaseTransitionsModule } from '../cases/case-transitions.module';
import { QueueModule } from '../core/queue/queue.module';
import { LettersModule } from '../letters/letters.module';
import { NotifiersModule } from '../notifiers/notifiers.module';
import { SiteModule } from '../site/site.module';
import { StrikesModule } from '../strikes/strikes.module';
import { CaseRouterService } from './case-router.service';
import { CasesProcessor } from './cases.processor';
import { SweepSchedulerService } from './sweep-scheduler.service';
import { CounterNoticeRestorer } from './counter-notice-restorer';
import { RestoreService } from './restore.service';
import { TakedownSweepService } from './takedown-sweep.service';
import { TakedownsProcessor } from './takedowns.processor';

/** The worker side: routing cases, sweeping due takedowns, and the schedule that drives the sweep. */
@Module({
  imports: [QueueModule, LettersModule, SiteModule, CaseTransitionsModule, StrikesModule, NotifiersModule],
  providers: [
    CaseRouterService,
    TakedownSweepService,
    RestoreService,
    CounterNoticeRestorer,
    CasesProcessor,
    TakedownsProcessor,
    SweepSchedulerService,
  ],
  exports: [CaseRouterService, TakedownSweepService],
})
export class TakedownsModule {}
