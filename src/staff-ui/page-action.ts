import {
  applyDecorators,
  type CallHandler,
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  HttpStatus,
  Inject,
  Injectable,
  type NestInterceptor,
  Post,
  Redirect,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { catchError, from, mergeMap, type Observable, of } from 'rxjs';
import { Roles } from '../auth/roles.decorator';
import type { StaffPrincipal } from '../auth/staff-auth.service';
import type { StaffRole } from '../auth/staff-user.entity';
import { type AppConfig, appConfig } from '../core/config';
import { verifyCsrfToken } from '../core/http/csrf';
import { errorAnswer, messageLine } from '../core/http/error-answer';
import { type Flash, setFlash } from './flash';
import { echoedValues } from './page-form';

export type StaffRequest = Request & { staff: StaffPrincipal };

/** A form on a page that failed: the page is shown again with the message and what was typed. */
export interface FormFailure {
  form: string;
  message: string;
  values: Record<string, unknown>;
}

/**
 * What an action says happened: a message for the flash, or a flash of its own (a bulk action's results); or, for
 * an action that `then: 'show'`s, what to show on the page it answers with.
 */
export type PageOutcome = string | Omit<Flash, 'path'> | { show: Record<string, unknown> };

export interface PageActionOptions {
  /** Who may post it. */
  roles: readonly StaffRole[];
  /** The form's name on its page, so that a refusal shows that form again with the message and what was typed. */
  form: string;
  /**
   * Where the browser goes afterwards (and where the flash is shown); the page the form is on when absent. `flash`
   * sends a refusal there as a flash too, instead of showing the page again (the queue's bulk form, whose page is
   * the queue itself).
   */
  back?: (req: Request) => string;
  /** The page the form is on, where it is neither a case's page nor the admin page (those are found from the path). */
  page?: (req: Request) => string;
  refusal?: 'page' | 'flash';
  /**
   * `show`: answer with the page itself (201) showing what the action returned, instead of a redirect: for a secret
   * made just now, which is stored hashed and so can be shown only in this answer.
   */
  then?: 'redirect' | 'show';
}

const PAGE_ACTION = 'staff-ui:page-action';

/**
 * A form post on a staff page, as one decorator: the route and its roles, the CSRF check (CsrfGuard), and the answer
 * (PageActions): the handler takes its form DTO, calls one service method and returns what happened, and the
 * browser is sent back (303) with that as the flash; a refusal shows the page again with the message.
 */
export function PageAction(path: string, options: PageActionOptions): MethodDecorator {
  return applyDecorators(
    Post(path),
    Roles(...options.roles),
    SetMetadata(PAGE_ACTION, options),
    UseGuards(CsrfGuard),
    ...(options.then === 'show' ? [] : [Redirect('', HttpStatus.SEE_OTHER)]),
  );
}

/** The CSRF token of a form post did not match its cookie: nothing was changed. */
export class CsrfRefusedError extends ForbiddenException {
  static readonly MESSAGE =
    'This form expired or came from another site, so nothing was changed. Go back, reload the page and try again.';

  constructor(readonly back: string) {
    super(CsrfRefusedError.MESSAGE);
  }
}

/** Refuses a form post without a valid CSRF token before anything runs; the error page leads back to the form. */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const body = req.body as Record<string, unknown> | undefined;
    if (verifyCsrfToken(req, body?._csrf, this.app.secret)) return true;
    const options = this.reflector.get<PageActionOptions | undefined>(PAGE_ACTION, context.getHandler());
    throw new CsrfRefusedError(options?.back?.(req) ?? options?.page?.(req) ?? pagePath(req));
  }
}

/**
 * A refusal to show on the page the form is on. The interceptor that caught it knows how to draw that page, and
 * hands the drawing to the page error filter, which writes every error answer of the staff pages.
 */
export class PageRefusal extends Error {
  constructor(
    readonly status: number,
    readonly failure: FormFailure,
    readonly show: (status: number, failure: FormFailure) => Promise<void>,
  ) {
    super(failure.message);
  }
}

/**
 * The answer to every PageAction of a controller: the outcome as a flash and a 303 back; a refusal (a 4xx from a
 * service, a validation failure, a move the workflow refuses) as the page again, drawn by `showRefusal`, or as a
 * flash. Faults of ours go to the error page.
 */
@Injectable()
export abstract class PageActions implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  /** Draws the page again at `status` with the failed form. */
  protected abstract showRefusal(req: StaffRequest, res: Response, status: number, failure: FormFailure): Promise<void>;

  /** Whether a refusal with this status is shown on the form's page; otherwise the error page says it. */
  protected showsOnPage(status: number): boolean {
    return status < 500;
  }

  /** The page an action that `then: 'show'`s answers with, as HTML. */
  protected renderShown(_req: StaffRequest, _res: Response, _shown: Record<string, unknown>): Promise<string> {
    return Promise.reject(new Error(`${this.constructor.name} shows no page after an action.`));
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const options = this.reflector.get<PageActionOptions | undefined>(PAGE_ACTION, context.getHandler());
    if (!options) return next.handle();
    const req = context.switchToHttp().getRequest<StaffRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    const path = options.page?.(req) ?? pagePath(req);
    const back = options.back?.(req) ?? path;
    const sendBack = (flash: Omit<Flash, 'path'>) => {
      setFlash(req, res, this.app.secret, { path, ...flash });
      res.setHeader('Cache-Control', 'no-store');
      return { url: back, statusCode: HttpStatus.SEE_OTHER };
    };
    const answer = (outcome: PageOutcome): Observable<unknown> => {
      if (typeof outcome === 'string') return of(sendBack({ ok: true, message: outcome }));
      if (!('show' in outcome)) return of(sendBack(outcome));
      res.setHeader('Cache-Control', 'no-store').setHeader('Content-Type', 'text/html; charset=utf-8');
      return from(this.renderShown(req, res, outcome.show));
    };
    return next.handle().pipe(
      mergeMap(answer),
      catchError((error: unknown) => {
        const answer = errorAnswer(error);
        if (!answer || !this.showsOnPage(answer.status)) throw error;
        const message = messageLine(answer);
        if (options.refusal === 'flash') return of(sendBack({ ok: false, message }));
        const failure = { form: options.form, message, values: echoedValues(req.body) };
        throw new PageRefusal(answer.status, failure, (status, f) => this.showRefusal(req, res, status, f));
      }),
    );
  }
}

/** The page a form post belongs to: its path without the action (a case's actions post below the case's path). */
function pagePath(req: Request): string {
  const reference = (req.params as Record<string, string | undefined>).reference;
  if (reference !== undefined) return `/staff/cases/${encodeURIComponent(reference)}`;
  return req.path.startsWith('/staff/admin') ? '/staff/admin' : '/staff';
}
