import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import type { StaffPrincipal } from '../auth/staff-auth.service';
import { type AppConfig, appConfig } from '../core/config';
import { issueCsrfToken } from '../core/http/csrf';
import { isDatabaseUnavailable } from '../core/http/database-unavailable';
import { errorAnswer, messageLine } from '../core/http/error-answer';
import { HttpExceptionFilter } from '../core/http/http-exception.filter';
import { TemplateRenderer } from '../core/templates/template-renderer';
import { CsrfRefusedError, PageRefusal } from './page-action';
import { sendPage } from './page-response';
import { staffNav } from './view-format';

/**
 * Every error of a staff page, as a page: an anonymous visitor is sent to sign in; a form post whose CSRF token
 * failed is refused with a way back to the form; a refused form is shown again on its page (PageRefusal); a
 * refusal (403), a missing case (404) or a bad request is shown with its message; anything else is the 500 page,
 * and a database that cannot be reached the 503 page that needs no database.
 */
@Catch()
@Injectable()
export class StaffPageErrorFilter implements ExceptionFilter {
  private readonly unavailable = new HttpExceptionFilter();
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
    if (exception instanceof UnauthorizedException) {
      res.setHeader('Cache-Control', 'no-store');
      return res.redirect(HttpStatus.SEE_OTHER, '/staff/login');
    }
    if (isDatabaseUnavailable(exception)) return this.unavailable.catch(exception, host);
    if (exception instanceof PageRefusal) {
      exception.show(exception.status, exception.failure).catch((error: unknown) => this.catch(error, host));
      return;
    }
    const answer = errorAnswer(exception);
    if (!answer || answer.status >= 500) {
      if (!answer) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
      return this.page(req, res, 500, 'Something went wrong on our side. The error is logged; please try again.');
    }
    const back = exception instanceof CsrfRefusedError ? exception.back : undefined;
    this.page(req, res, answer.status, messageLine(answer), back);
  }

  private page(
    req: Request & { staff?: StaffPrincipal },
    res: Response,
    status: number,
    message: string,
    back?: string,
  ): void {
    const csrf = issueCsrfToken(req, res, this.app.secret);
    const title = back ? 'Not sent' : status === 403 ? 'Not allowed' : status === 404 ? 'Not found' : 'Error';
    sendPage(res, this.templates, 'staff-error', status, {
      site: this.app,
      title,
      nav: req.staff ? staffNav(req.staff, csrf, 'error') : null,
      status,
      message,
      back,
    });
  }
}
