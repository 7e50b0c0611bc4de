import { Module } from '@nestjs/common';
import { LettersModule } from '../letters/letters.module';
import { SiteModule } from '../site/site.module';
import { StrikeLedger } from './strike-ledger.service';
import { UploaderStandingService } from './uploader-standing.service';

/** The repeat-infringer policy (17 U.S.C. 512(i)): the strike ledger and staff's decisions on uploaders' standing. */
@Module({
  imports: [LettersModule, SiteModule],
  providers: [StrikeLedger, UploaderStandingService],
  exports: [StrikeLedger, UploaderStandingService],
})
export class StrikesModule {}
