import { Module } from '@nestjs/common';
import { StrikesModule } from './strikes.module';
import { UploadersController } from './uploaders.controller';

/** The HTTP side of the repeat-infringer policy: staff's JSON API on uploaders. */
@Module({
  imports: [StrikesModule],
  controllers: [UploadersController],
})
export class StrikesHttpModule {}
