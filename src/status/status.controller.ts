import { Controller, Get, Header, Inject, Param } from '@nestjs/common';
import { type AppConfig, appConfig } from '../core/config';
import { TemplateRenderer } from '../core/templates/template-renderer';
import { CaseStatusService, type CaseStatusView } from './case-status.service';

/** The sender's view of a case, through the unguessable link in the receipt. */
@Controller()
export class StatusController {
  constructor(
    private readonly status: CaseStatusService,
    private readonly templates: TemplateRenderer,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  @Get('status/:token')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @Header('Referrer-Policy', 'no-referrer')
  async page(@Param('token') token: string): Promise<string> {
    return this.templates.page('status', { site: this.app, view: await this.status.byToken(token) });
  }

  @Get('api/v1/status/:token')
  @Header('Cache-Control', 'no-store')
  async json(@Param('token') token: string): Promise<CaseStatusView> {
    return this.status.byToken(token);
  }
}
