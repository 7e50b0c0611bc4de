import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { type AppConfig, appConfig, assertConfig } from './core/config';
import { configureHttpApp } from './http-app';

async function bootstrap(): Promise<void> {
  assertConfig();
  const app = await NestFactory.create<NestExpressApplication>(AppModule, new ExpressAdapter(), {
    bodyParser: false,
    rawBody: true,
  });
  configureHttpApp(app);
  const { port } = app.get<AppConfig>(appConfig.KEY);
  await app.listen(port);
  Logger.log(`Takedown Desk API listening on port ${port}`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
