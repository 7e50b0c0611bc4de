import { Module } from '@nestjs/common';
import { CaseTransitionsModule } from '../cases/case-transitions.module';
import { LettersModule } from '../letters/letters.module';
import { NotifiersModule } from '../notifiers/notifiers.module';
import { StrikesModule } from '../strikes/strikes.module';
import { ComplaintsService } from './complaints.service';

/** Complaints against decisions (DSA Art. 20): lodged from the status pages, decided by staff. */
@Module({
  imports: [LettersModule, StrikesModule, NotifiersModule, CaseTransitionsModule],
  providers: [ComplaintsService],
  exports: [ComplaintsService],
})
export class ComplaintsModule {}
