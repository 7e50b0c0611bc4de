import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  DATABASE_RETRY_AFTER_SECONDS,
  DATABASE_UNAVAILABLE_MESSAGE,
  isDatabaseUnavailable,
} from './database-unavailable';
import { errorAnswer } from './error-answer';
import { ServiceUnavailableError } from './service-unavailable';

/**
 * Every error as JSON `{ statusCode, error, message, ...details }`, mapped by errorAnswer (domain refusals by kind,
 * HTTP exceptions, body-parser's errors); anything unmapped is a logged 500. A database that cannot be reached is a
 * 503 with `Retry-After`, answered to a browser's page request as a page.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    if (res.headersSent) return;
    if (isDatabaseUnavailable(exception)) {
      // The route's pattern, not its path: a status page's path is its private token.
      this.logger.warn(`${req.method} ${routeOf(req)}: the database is unavailable (${String(exception)})`);
      return unavailable(req, res, DATABASE_UNAVAILABLE_MESSAGE, DATABASE_RETRY_AFTER_SECONDS);
    }
    if (exception instanceof ServiceUnavailableError) {
      this.logger.warn(`${req.method} ${routeOf(req)}: ${exception.message}`);
      return unavailable(req, res, exception.message, exception.retryAfterSeconds);
    }
    const answer = errorAnswer(exception);
    if (!answer) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    const { status, message, details } = answer ?? { status: 500, message: 'Internal server error' };
    res.status(status).json({ statusCode: status, error: HttpStatus[status] ?? 'Error', message, ...details });
  }
}

/** 503 with `Retry-After`: a page for a browser's page request, JSON otherwise. */
function unavailable(req: Request, res: Response, message: string, retryAfterSeconds: number): void {
  res.setHeader('Retry-After', String(retryAfterSeconds));
  res.setHeader('Cache-Control', 'no-store');
  if (wantsPage(req)) {
    res.status(503).type('html').send(unavailablePage(message));
    return;
  }
  res.status(503).json({ statusCode: 503, error: HttpStatus[503], message });
}

function routeOf(req: Request): string {
  const route = (req.route as { path?: unknown } | undefined)?.path;
  return typeof route === 'string' ? route : '(no route)';
}

/** A browser asking for a page, rather than a client of the JSON API. */
export function wantsPage(req: Request): boolean {
  return !req.path.startsWith('/api/') && req.accepts(['json', 'html']) === 'html';
}

/** A page that needs neither the database nor the templates, for when neither may be had. */
function unavailablePage(message: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Temporarily unavailable</title></head>
<body>
<main>
<h1>Temporarily unavailable</h1>
<p>${message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</p>
</main>
</body>
</html>
`;
}
