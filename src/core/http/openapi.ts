import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';

export const OPENAPI_PATH = 'api/docs';

/**
 * Swagger UI loads its scripts from files and styles itself with inline <style> blocks, so its pages alone allow
 * script-src 'self' and inline styles. No page gets inline scripts; everything else keeps the strict policy.
 */
const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

function docsCsp(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Content-Security-Policy', DOCS_CSP);
  next();
}

/** Serves the API's OpenAPI document: Swagger UI at /api/docs, the JSON at /api/docs-json. Call after securityHeaders. */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Takedown Desk')
    .setDescription('DMCA notice intake, case status and staff triage.')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Staff API token, tdk_…' })
    .addCookieAuth('td_session', { type: 'apiKey', in: 'cookie', description: 'Staff session (the staff UI)' })
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Agency key, tda_…' }, 'agency-key')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  app.use(`/${OPENAPI_PATH}`, docsCsp);
  SwaggerModule.setup(OPENAPI_PATH, app, document);
}
