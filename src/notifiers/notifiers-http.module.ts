import { Module } from '@nestjs/common';
import { NotifiersController } from './notifiers.controller';
import { NotifiersModule } from './notifiers.module';

/** The HTTP side of notifiers: staff's JSON API on their records and standings. */
@Module({
  imports: [NotifiersModule],
  controllers: [NotifiersController],
})
export class NotifiersHttpModule {}
