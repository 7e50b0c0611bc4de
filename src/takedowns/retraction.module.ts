import { Module } from '@nestjs/common';
import { CaseTransitionsModule } from '../cases/case-transitions.module';
import { LettersModule } from '../letters/letters.module';
import { RetractionService } from './retraction.service';

/** Retractions, for the HTTP app: no queue workers here, the worker restores what a retraction puts back. */
@Module({
  imports: [LettersModule, CaseTransitionsModule],
  providers: [RetractionService],
  exports: [RetractionService],
})
export class RetractionModule {}
