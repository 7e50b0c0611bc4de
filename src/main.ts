import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { type AppConfig, appConfig, assertConfig } from './core/config';
import { AppLogger, logBootFailure } from './core/logging/app-logger';
import { configureHttpApp } from './http-app';

let logger: AppLogger | undefined;

async function bootstrap(): Promise<void> {
  assertConfig();
  const { logLevel, logFile } = appConfig();
  logger = AppLogger.create({ level: logLevel, file: logFile });
  // Given here rather than by useLogger() after boot, it has every line from the first: no buffering needed.
  const app = await NestFactory.create<NestExpressApplication>(AppModule, new ExpressAdapter(), {
    bodyParser: false,
    rawBody: true,
    logger,
  });
  configureHttpApp(app);
  const { port } = app.get<AppConfig>(appConfig.KEY);
  await app.listen(port);
  Logger.log(`Takedown Desk API listening on port ${port}`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  logBootFailure(error, logger);
  process.exit(1);
});
