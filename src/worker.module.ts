import { Module } from '@nestjs/common';
import { CoreModule } from './core/core.module';
import { LinksModule } from './links/links.module';
import { TakedownsModule } from './takedowns/takedowns.module';

/** The worker: outbox relay, queue processors and the takedown schedule. Run as many as you like. */
@Module({ imports: [CoreModule, LinksModule, TakedownsModule] })
export class WorkerModule {}
