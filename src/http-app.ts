import * as path from 'node:path';
import { BadRequestException, INestApplication, ValidationError, ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type AppConfig, appConfig, type IntakeConfig, intakeConfig } from './core/config';
import { HttpExceptionFilter } from './core/http/http-exception.filter';
import { setupOpenApi } from './core/http/openapi';
import { checkRequestInput } from './core/http/request-input';
import { assignRequestId, resumeRequestId } from './core/http/request-id';
import { mountQueueDashboard } from './staff-ui/queue-dashboard';
import { parseCookies } from './core/http/cookies';
import { securityHeaders } from './core/http/security-headers';
import { projectRoot } from './core/paths';

/** Request ids, body limits, validation and error shape for the HTTP app; shared by main.ts and the end-to-end tests. */
export function configureHttpApp(app: NestExpressApplication): INestApplication {
  const limits = app.get<IntakeConfig>(intakeConfig.KEY);
  const { trustProxy } = app.get<AppConfig>(appConfig.KEY);
  app.use(assignRequestId);
  app.useBodyParser('json', { limit: limits.maxBodyBytes });
  app.useBodyParser('urlencoded', { limit: limits.maxBodyBytes, extended: false, parameterLimit: 100 });
  app.use(resumeRequestId);
  app.disable('x-powered-by');
  app.use(securityHeaders);
  app.use(parseCookies);
  app.use(checkRequestInput);
  setupOpenApi(app);
  mountQueueDashboard(app);
  app.useStaticAssets(path.join(projectRoot(), 'public'), { index: false, maxAge: '1h' });
  app.set('trust proxy', trustProxy);
  app.useGlobalFilters(new HttpExceptionFilter());
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => new BadRequestException(flatten(errors)),
    }),
  );
  return app;
}

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = prefix + e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => (m.startsWith(path) ? m : m.replace(e.property, path)));
    return [...own, ...flatten(e.children ?? [], `${path}.`)];
  });
}
