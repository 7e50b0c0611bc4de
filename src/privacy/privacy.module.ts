import { Module } from '@nestjs/common';
import { ErasureService } from './erasure.service';

/** Personal data: erasure and export by person, requests from the people the data is about, and retention. */
@Module({ providers: [ErasureService], exports: [ErasureService] })
export class PrivacyModule {}
