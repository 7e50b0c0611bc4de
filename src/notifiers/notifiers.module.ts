import { Module } from '@nestjs/common';
import { LettersModule } from '../letters/letters.module';
import { BadFaithSignsService } from './bad-faith-signs.service';
import { NotifierStandingsService } from './notifier-standings.service';
import { NotifierStatsService } from './notifier-stats.service';

/**
 * Notifiers (DSA Art. 23, 17 U.S.C. 512(f)): their record as read models, the signs of a bad-faith notice shown to
 * staff, and staff's warnings and suspensions, which routing obeys.
 */
@Module({
  imports: [LettersModule],
  providers: [NotifierStatsService, NotifierStandingsService, BadFaithSignsService],
  exports: [NotifierStatsService, NotifierStandingsService, BadFaithSignsService],
})
export class NotifiersModule {}
