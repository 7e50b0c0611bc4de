import { Body, Controller, Get, Header, HttpCode, HttpStatus, Inject, Param, Post } from '@nestjs/common';
import { type AppConfig, appConfig } from '../core/config';
import { TemplateRenderer } from '../core/templates/template-renderer';
import { type RetractionResult, RetractionService } from '../takedowns/retraction.service';
import { CaseStatusService, type CaseStatusView } from './case-status.service';
import { RetractDto } from './dto/retract.dto';
import { UploaderStatusService, type UploaderStatusView } from './uploader-status.service';

/** The sender's view of a case, through the unguessable link in the receipt. */
@Controller()
export class StatusController {
  constructor(
    private readonly status: CaseStatusService,
    private readonly retractions: RetractionService,
    private readonly uploaders: UploaderStatusService,
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

  /**
   * The complainant retracts the notice, or some of its URLs: 200 with the URLs retracted; a URL not in the notice
   * is 422 and nothing is retracted; retracting again changes nothing. An uploader's or anyone else's link is 404.
   */
  @Post('api/v1/status/:token/retract')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  retract(@Param('token') token: string, @Body() dto: RetractDto): Promise<RetractionResult> {
    return this.retractions.retractByToken(token, dto.urls, dto.reason);
  }

  /** The uploader's own page for a case, through the private link in their letter (never the complainant's). */
  @Get('uploader/:token')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @Header('Referrer-Policy', 'no-referrer')
  async uploaderPage(@Param('token') token: string): Promise<string> {
    return this.templates.page('uploader-status', { site: this.app, view: await this.uploaders.byToken(token) });
  }

  @Get('api/v1/uploader/:token')
  @Header('Cache-Control', 'no-store')
  uploaderJson(@Param('token') token: string): Promise<UploaderStatusView> {
    return this.uploaders.byToken(token);
  }
}
