import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { lettersConfig } from '../core/config';
import { LettersService } from './letters.service';

@Module({ imports: [ConfigModule.forFeature(lettersConfig)], providers: [LettersService], exports: [LettersService] })
export class LettersModule {}
