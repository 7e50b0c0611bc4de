import { Controller, Get, Inject, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ANY_STAFF, Roles } from '../auth/roles.decorator';
import type { StaffPrincipal } from '../auth/staff-auth.service';
import { CurrentStaff, StaffGuard } from '../auth/staff.guard';
import { type AppConfig, appConfig } from '../core/config';
import { issueCsrfToken } from '../core/http/csrf';
import { TemplateRenderer } from '../core/templates/template-renderer';
import { NOTIFIER_SORTS, type NotifierSort, NotifierStatsService } from '../notifiers/notifier-stats.service';
import { notifierRow } from './notifier-view';
import { sendPage } from './page-response';
import { StaffPageErrorFilter } from './staff-page-error.filter';
import { staffNav } from './view-format';

const SORT_LABELS: Record<NotifierSort, string> = {
  rejected_share: 'Rejected share',
  sent: 'Notices sent',
  last_notice: 'Latest notice',
};

/** Staff's notifiers page: every notifier with its counts, sortable; the same read model as the JSON API. */
@Controller('staff/notifiers')
@UseGuards(StaffGuard)
@UseFilters(StaffPageErrorFilter)
export class NotifiersPagesController {
  constructor(
    private readonly stats: NotifierStatsService,
    private readonly templates: TemplateRenderer,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  @Get()
  @Roles(...ANY_STAFF)
  async listPage(
    @Query('sort') sort: unknown,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const chosen = NOTIFIER_SORTS.find((s) => s === sort) ?? 'rejected_share';
    const csrf = issueCsrfToken(req, res, this.app.secret);
    sendPage(res, this.templates, 'staff-notifiers', 200, {
      site: this.app,
      title: 'Notifiers',
      nav: staffNav(staff, csrf, 'notifiers'),
      sorts: NOTIFIER_SORTS.map((s) => ({ value: s, label: SORT_LABELS[s], selected: s === chosen })),
      rows: (await this.stats.list(chosen)).map(notifierRow),
    });
  }
}
