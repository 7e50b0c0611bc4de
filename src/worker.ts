import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { appConfig, assertConfig } from './core/config';
import { AppLogger, logBootFailure } from './core/logging/app-logger';
import { WorkerModule } from './worker.module';

let logger: AppLogger | undefined;

async function bootstrap(): Promise<void> {
  assertConfig();
  const { logLevel, logFile } = appConfig();
  logger = AppLogger.create({ level: logLevel, file: logFile });
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger });
  app.enableShutdownHooks();
  Logger.log('Takedown Desk worker started', 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  logBootFailure(error, logger);
  process.exit(1);
});
