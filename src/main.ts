import 'reflect-metadata';
import type { Server } from 'node:http';
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
  stopOnSignals(app);
  Logger.log(`Takedown Desk API listening on port ${port}`, 'Bootstrap');
}

/** How long a shutdown waits for the requests in flight before it cuts their connections. */
const SHUTDOWN_DEADLINE_MS = 25_000;

/**
 * SIGTERM or SIGINT: the server stops taking connections at once, the requests in flight finish (each keep-alive
 * connection is closed once it has answered), and only then do the application's shutdown hooks run, so no request
 * meets a closed pool. Nest's own shutdown hooks would run the hooks first and close the server last.
 */
function stopOnSignals(app: NestExpressApplication): void {
  const server: Server = app.getHttpServer();
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    Logger.log(`${signal}: finishing the requests in flight, taking no new ones`, 'Shutdown');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => server.closeAllConnections(), SHUTDOWN_DEADLINE_MS);
    await closed;
    clearInterval(idle);
    clearTimeout(deadline);
    await app.close();
    process.exit(0);
  };
  const once = (signal: NodeJS.Signals): void => {
    process.removeAllListeners('SIGTERM').removeAllListeners('SIGINT');
    stop(signal).catch((error: unknown) => {
      logBootFailure(error, logger);
      process.exit(1);
    });
  };
  process.once('SIGTERM', once).once('SIGINT', once);
}

bootstrap().catch((error: unknown) => {
  logBootFailure(error, logger);
  process.exit(1);
});
