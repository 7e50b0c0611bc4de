import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  UnauthorizedException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Request, Response } from 'express';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { StaffPrincipal } from '../auth/staff-auth.service';
import { StaffPageFilter } from './staff-page.filter';
import { type AppConfig, appConfig } from '../core/config';
import { issueCsrfToken, verifyCsrfToken } from '../core/http/csrf';
import { isDatabaseUnavailable } from '../core/http/database-unavailable';
import { HttpExceptionFilter } from '../core/http/http-exception.filter';
import { TemplateRenderer } from '../core/templates/template-renderer';
import { CaseTransitionError } from '../cases/case-workflow';
import { staffNav } from './staff-view';
import { readCookie } from '../core/http/cookies';

/** The HTTP side of the staff pages: rendering, the flash message, reading form posts, and errors as pages. */

/** Renders a staff page; every staff page is private and never cached. */
export function sendPage(
  res: Response,
  templates: TemplateRenderer,
  name: string,
  status: number,
  context: object,
): void {
  res
    .status(status)
    .setHeader('Cache-Control', 'no-store')
    .setHeader('Content-Type', 'text/html; charset=utf-8')
    .send(templates.page(name, context));
}

/** Sends the browser on after a form post (303: the next request is a GET), uncached like the pages. */
export function redirectAfterPost(res: Response, path: string): void {
  res.setHeader('Cache-Control', 'no-store');
  res.redirect(303, path);
}

// ---------------------------------------------------------------------------------------------------------- flash

/** One case's result in a bulk action, as the queue shows it after the redirect. */
export interface FlashResult {
  reference: string;
  ok: boolean;
  status?: string;
  error?: string;
}

/** What the page after a redirect tells the staff member: the outcome of what they just did. */
export interface Flash {
  /** The page that shows it: another page leaves it for its own. */
  path: string;
  ok: boolean;
  message: string;
  results?: FlashResult[];
  /** Results left out to keep the cookie small: how many succeeded and how many failed. */
  omitted?: { ok: number; failed: number };
}

const FLASH_COOKIE = 'td_flash';
/** Browsers keep cookies up to 4 KB; the signature and attributes need the rest. */
const FLASH_MAX_CHARS = 3_400;
const FLASH_ERROR_MAX = 200;

/**
 * Leaves a message for the next page in a short-lived cookie signed with APP_SECRET (so that no one else can
 * plant one), compressed, and shortened until it fits: bulk results keep every failure with its reason as long as
 * they can, and count the rest.
 */
export function setFlash(req: Request, res: Response, secret: string, flash: Flash): void {
  const value = encodeFlash(flash, secret);
  res.cookie(FLASH_COOKIE, value, {
    httpOnly: true,
    sameSite: 'lax',
    secure: req.secure,
    path: '/staff',
    maxAge: 60_000,
  });
}

/** The flash left for this page, if any; it is shown once. */
export function takeFlash(req: Request, res: Response, secret: string, path: string): Flash | null {
  const raw = readCookie(req, FLASH_COOKIE);
  const flash = raw ? decodeFlash(raw, secret) : null;
  if (!raw || (flash && flash.path !== path)) return null;
  res.clearCookie(FLASH_COOKIE, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/staff' });
  return flash;
}

export function encodeFlash(flash: Flash, secret: string): string {
  const attempts: (() => Flash)[] = [
    () => flash,
    () => ({ ...flash, results: flash.results?.map((r) => ({ ...r, error: r.error?.slice(0, FLASH_ERROR_MAX) })) }),
    () => {
      const results = flash.results ?? [];
      const failed = results.filter((r) => !r.ok).map((r) => ({ ...r, error: r.error?.slice(0, FLASH_ERROR_MAX) }));
      return { ...flash, results: failed, omitted: { ok: results.length - failed.length, failed: 0 } };
    },
  ];
  for (const attempt of attempts) {
    const value = seal(attempt(), secret);
    if (value.length <= FLASH_MAX_CHARS) return value;
  }
  // Still too long: keep as many failures as fit.
  const results = flash.results ?? [];
  const failed = results.filter((r) => !r.ok).map((r) => ({ ...r, error: r.error?.slice(0, 80) }));
  for (let keep = failed.length; keep >= 0; keep = keep > 8 ? Math.floor(keep * 0.7) : keep - 1) {
    const omitted = { ok: results.length - failed.length, failed: failed.length - keep };
    const value = seal(
      { ...flash, message: flash.message.slice(0, 500), results: failed.slice(0, keep), omitted },
      secret,
    );
    if (value.length <= FLASH_MAX_CHARS) return value;
  }
  return seal({ path: flash.path, ok: flash.ok, message: flash.message.slice(0, 500) }, secret);
}

export function decodeFlash(value: string, secret: string): Flash | null {
  const dot = value.lastIndexOf('.');
  if (dot < 0) return null;
  const body = value.slice(0, dot);
  const expected = Buffer.from(mac(body, secret));
  const given = Buffer.from(value.slice(dot + 1));
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const parsed = JSON.parse(
      inflateRawSync(Buffer.from(body, 'base64url'), { maxOutputLength: 1_000_000 }).toString('utf8'),
    ) as Flash;
    return typeof parsed.path === 'string' && typeof parsed.message === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

function seal(flash: Flash, secret: string): string {
  const body = deflateRawSync(Buffer.from(JSON.stringify(flash))).toString('base64url');
  return `${body}.${mac(body, secret)}`;
}

function mac(body: string, secret: string): string {
  return createHmac('sha256', secret).update(`flash:${body}`).digest('base64url');
}

// ----------------------------------------------------------------------------------------------------------- forms

/** A urlencoded form post read safely: a field is a string, or a list of strings when repeated. */
export class FormPost {
  private readonly fields: Record<string, unknown>;

  constructor(body: unknown) {
    this.fields = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  }

  /** The field's value trimmed, or undefined when it is missing or empty. */
  text(name: string): string | undefined {
    const value = this.fields[name];
    const first = Array.isArray(value) ? (value as unknown[])[0] : value;
    return typeof first === 'string' && first.trim() !== '' ? first.trim() : undefined;
  }

  /** Every non-empty value of a repeated field (checkboxes). */
  list(name: string): string[] {
    const value = this.fields[name];
    return (Array.isArray(value) ? (value as unknown[]) : [value]).filter(
      (v): v is string => typeof v === 'string' && v.trim() !== '',
    );
  }

  csrfValid(req: Request, secret: string): boolean {
    return verifyCsrfToken(req, this.fields._csrf, secret);
  }
}

/**
 * Checks a form's values against the API's DTO, so the pages and the API refuse the same things; a failure is a
 * 422 naming each problem.
 */
export async function validated<T extends object>(cls: new () => T, plain: Record<string, unknown>): Promise<T> {
  const defined = Object.fromEntries(Object.entries(plain).filter(([, v]) => v !== undefined));
  const dto = plainToInstance(cls, defined);
  const problems = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (problems.length > 0) {
    throw new UnprocessableEntityException(problems.flatMap((p) => Object.values(p.constraints ?? {})).join('; '));
  }
  return dto;
}

/** What went wrong, for the person who sent the form: a 4xx from a service, or a move the workflow refuses. */
export function formFailure(error: unknown): { status: number; message: string } | null {
  if (error instanceof CaseTransitionError) return { status: HttpStatus.CONFLICT, message: error.message };
  if (error instanceof HttpException && error.getStatus() < 500) {
    const body = error.getResponse();
    const message =
      typeof body === 'object' && body !== null && 'message' in body
        ? (body as { message: string | string[] }).message
        : error.message;
    return { status: error.getStatus(), message: Array.isArray(message) ? message.join('; ') : message };
  }
  return null;
}

export const CSRF_FAILED =
  'This form expired or came from another site, so nothing was changed. Go back, reload the page and try again.';

/** The page for a form post whose CSRF token is missing or wrong (403): nothing was changed; `back` leads back. */
export function sendCsrfRefusal(
  req: Request,
  res: Response,
  templates: TemplateRenderer,
  app: AppConfig,
  staff: StaffPrincipal,
  back: string,
): void {
  const csrf = issueCsrfToken(req, res, app.secret);
  sendPage(res, templates, 'staff-error', HttpStatus.FORBIDDEN, {
    site: app,
    title: 'Not sent',
    nav: staffNav(staff, csrf, 'error'),
    status: HttpStatus.FORBIDDEN,
    message: CSRF_FAILED,
    back,
  });
}

// ----------------------------------------------------------------------------------------------------------- errors

/**
 * Errors on staff pages as pages: an anonymous visitor is sent to sign in (StaffPageFilter); a refusal (403), a
 * missing case (404) or a bad request is shown with its message and a way back; anything else is the 500 page.
 */
@Catch()
@Injectable()
export class StaffPageErrorFilter implements ExceptionFilter {
  private readonly signIn = new StaffPageFilter();
  private readonly unavailable = new HttpExceptionFilter(); // a 503 page that needs no database
  private readonly logger = new Logger('StaffPages');

  constructor(
    private readonly templates: TemplateRenderer,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request & { staff?: StaffPrincipal }>();
    const res = http.getResponse<Response>();
    if (res.headersSent) return;
    if (exception instanceof UnauthorizedException) return this.signIn.catch(exception, host);
    if (isDatabaseUnavailable(exception)) return this.unavailable.catch(exception, host);
    let failure = formFailure(exception);
    if (!failure) {
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
      failure = { status: 500, message: 'Something went wrong on our side. The error is logged; please try again.' };
    }
    const csrf = issueCsrfToken(req, res, this.app.secret);
    sendPage(res, this.templates, 'staff-error', failure.status, {
      site: this.app,
      title: failure.status === 403 ? 'Not allowed' : failure.status === 404 ? 'Not found' : 'Error',
      nav: req.staff ? staffNav(req.staff, csrf, 'error') : null,
      status: failure.status,
      message: failure.message,
    });
  }
}
