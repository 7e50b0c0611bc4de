import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module';
import { NoticeFormController } from './notice-form.controller';
import { NoticeIntakeModule } from './notice-intake.module';
import { NoticesController } from './notices.controller';

/** Notices over HTTP: the JSON API (with agency keys) and the public form. */
@Module({
  imports: [NoticeIntakeModule, AgenciesModule],
  controllers: [NoticesController, NoticeFormController],
})
export class NoticesModule {}
