import { Module } from '@nestjs/common';
import { CaseStatusService } from './case-status.service';
import { StatusController } from './status.controller';

@Module({ controllers: [StatusController], providers: [CaseStatusService], exports: [CaseStatusService] })
export class CasesModule {}
