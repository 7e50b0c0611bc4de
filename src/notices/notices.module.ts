import { Module } from '@nestjs/common';
import { IntakeService } from './intake.service';
import { NoticeFormController } from './notice-form.controller';
import { NoticesController } from './notices.controller';

@Module({
  controllers: [NoticesController, NoticeFormController],
  providers: [IntakeService],
  exports: [IntakeService],
})
export class NoticesModule {}
