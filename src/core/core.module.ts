import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  appConfig,
  databaseConfig,
  type DatabaseConfig,
  intakeConfig,
  mailConfig,
  redisConfig,
  slaConfig,
  takedownConfig,
  counterNoticeConfig,
  privacyConfig,
  strikeConfig,
  notifierConfig,
  metricsConfig,
  rateLimitConfig,
  healthConfig,
} from './config';
import { dataSourceOptions } from './database/data-source-options';
import { CLOCK, systemClock } from './clock';
import { PersonalData } from './privacy/personal-data.service';
import { OutboxService } from './queue/outbox.service';
import { SharedRateLimiter } from './http/shared-rate-limiter';
import { TemplateRenderer } from './templates/template-renderer';

/** What every process needs: validated settings, Postgres, templates, the outbox writer and the personal-data keys. */
@Global()
@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      load: [
        appConfig,
        databaseConfig,
        redisConfig,
        takedownConfig,
        intakeConfig,
        mailConfig,
        slaConfig,
        counterNoticeConfig,
        privacyConfig,
        strikeConfig,
        notifierConfig,
        metricsConfig,
        rateLimitConfig,
        healthConfig,
      ],
    }),
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (db: DatabaseConfig) =>
        dataSourceOptions(db.url, db.poolSize, db.connectTimeoutMs, db.preparedStatements),
    }),
  ],
  providers: [
    OutboxService,
    TemplateRenderer,
    PersonalData,
    SharedRateLimiter,
    { provide: CLOCK, useValue: systemClock },
  ],
  exports: [OutboxService, TemplateRenderer, PersonalData, SharedRateLimiter, CLOCK],
})
export class CoreModule {}
