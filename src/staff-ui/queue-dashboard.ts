import { HttpStatus, Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { readCookie, SESSION_COOKIE } from '../auth/cookies';
import { StaffAuthService, type StaffPrincipal } from '../auth/staff-auth.service';
import { StaffRole } from '../auth/staff-user.entity';
import { QueueDashboardService } from '../core/http/queue-dashboard.service';
import { DECIDERS } from '../auth/roles.decorator';

export const QUEUE_DASHBOARD_PATH = '/staff/queues';

/** Viewers are read-only staff, and the dashboard can retry, promote and remove jobs. */
const DASHBOARD_ROLES: ReadonlySet<StaffRole> = new Set(DECIDERS);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Bull Board's UI loads its scripts from files of its own and finds them through <base href> (so base-uri 'self'),
 * calls its JSON API and loads its locale files (connect-src 'self'), and styles its loading placeholder inline (so
 * style-src 'unsafe-inline', as on the API docs; no page runs inline script). Its Google Fonts stylesheet stays
 * blocked: staff browsers make no third-party requests, and the board falls back to system fonts.
 */
const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
].join('; ');

/**
 * Mounts Bull Board at /staff/queues for admin and legal staff: a session cookie or an API token, the same as the
 * staff API accepts. Call after securityHeaders, whose policy this replaces on these paths only.
 */
export function mountQueueDashboard(app: NestExpressApplication): void {
  const auth = app.get(StaffAuthService);
  const queues = app.get(QueueDashboardService);
  app.use(QUEUE_DASHBOARD_PATH, dashboardHeaders, staffOnly(auth), queues.handler(QUEUE_DASHBOARD_PATH));
}

function dashboardHeaders(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
  // The page and the API answer per user; the static files are the package's own, and express.static caches them.
  if (!req.path.startsWith('/static/')) res.setHeader('Cache-Control', 'no-store');
  next();
}

/** Sends anonymous page views to sign in (401 for the API), other roles away with 403, and cross-site changes too. */
function staffOnly(auth: StaffAuthService): RequestHandler {
  const logger = new Logger('QueueDashboard');
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const authorization = req.headers.authorization;
      const cookie = readCookie(req, SESSION_COOKIE);
      if (authorization === undefined && cookie && !SAFE_METHODS.has(req.method) && !sameOrigin(req)) {
        return reply(res, HttpStatus.FORBIDDEN, 'Change the queues from the dashboard itself, or with an API token.');
      }
      const staff =
        authorization !== undefined
          ? await verifyBearer(auth, authorization)
          : cookie
            ? await auth.verifySession(cookie)
            : null;
      if (!staff) {
        if (SAFE_METHODS.has(req.method) && !req.path.startsWith('/api/')) return res.redirect(303, '/staff/login');
        return reply(res, HttpStatus.UNAUTHORIZED, 'Sign in, or send an API token as "Authorization: Bearer tdk_…".');
      }
      if (!DASHBOARD_ROLES.has(staff.role)) {
        return reply(res, HttpStatus.FORBIDDEN, `The ${staff.role} role may not use the queue dashboard.`);
      }
      next();
    } catch (error) {
      logger.error(error instanceof Error ? error.stack : String(error));
      reply(res, HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error');
    }
  };
}

function verifyBearer(auth: StaffAuthService, authorization: string): Promise<StaffPrincipal | null> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  return match ? auth.verifyApiToken(match[1]) : Promise.resolve(null);
}

/**
 * CSRF defence for cookie sessions. Bull Board's UI sends its changes as XMLHttpRequest PUTs with no token or custom
 * header we could require, but the browser itself says where each request comes from: Sec-Fetch-Site, which no page
 * can set, in every current browser, and Origin on every non-GET request. So a change on a cookie passes only when
 * Sec-Fetch-Site is same-origin or, from a browser too old to send it, when Origin is this server's own; a request
 * with neither header is not a page's, and must use an API token. (SameSite=Lax already keeps the cookie off other
 * sites' PUTs and POSTs; this also refuses a sibling subdomain, which counts as the same site.)
 */
function sameOrigin(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  if (site !== undefined) return site === 'same-origin';
  const origin = req.get('origin');
  return origin !== undefined && origin === `${req.protocol}://${req.host}`;
}

/** Errors in the shape HttpExceptionFilter gives the rest of the API. */
function reply(res: Response, status: HttpStatus, message: string): void {
  res.status(status).json({ statusCode: status, error: HttpStatus[status], message });
}
