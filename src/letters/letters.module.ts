import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { lettersConfig } from '../core/config';
import { LettersService } from './letters.service';
import { RecipientConfirmationController } from './recipient-confirmation.controller';

@Module({
  imports: [ConfigModule.forFeature(lettersConfig)],
  controllers: [RecipientConfirmationController],
  providers: [LettersService],
  exports: [LettersService],
})
export class LettersModule {}
