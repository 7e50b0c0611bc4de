import { Module } from '@nestjs/common';
import { ComplaintsModule } from './complaints.module';
import { StaffComplaintsController } from './staff-complaints.controller';

/** The HTTP side of complaints for staff; the public side is on the status pages (status/). */
@Module({
  imports: [ComplaintsModule],
  controllers: [StaffComplaintsController],
})
export class ComplaintsHttpModule {}
