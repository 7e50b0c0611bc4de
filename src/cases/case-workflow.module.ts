import { Module } from '@nestjs/common';
import { CaseTransitionsService } from './case-transitions.service';

/** The enforced case workflow, for the staff API and UI to call. */
@Module({ providers: [CaseTransitionsService], exports: [CaseTransitionsService] })
export class CaseWorkflowModule {}
