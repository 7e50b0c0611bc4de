import { Module } from '@nestjs/common';
import { CaseTransitionsService } from './case-transitions.service';

/**
 * The status door (CaseTransitionsService) on its own, for every module that changes a case's status: triage,
 * intake, email intake and the router. It needs only the database and the service-level settings.
 */
@Module({ providers: [CaseTransitionsService], exports: [CaseTransitionsService] })
export class CaseTransitionsModule {}
