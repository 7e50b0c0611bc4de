import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { ANY_STAFF, DECIDERS, Roles } from '../auth/roles.decorator';
import type { StaffPrincipal } from '../auth/staff-auth.service';
import { CurrentStaff, StaffGuard } from '../auth/staff.guard';
import { DomainError } from '../core/errors';
import type { BadFaithSign } from './bad-faith-signs.service';
import { BadFaithSignsService } from './bad-faith-signs.service';
import { NotifierDecisionDto, NotifierSuspensionDto } from './dto/notifier-decision.dto';
import { isNotifierKey } from './notifier-key';
import {
  NotifierNotFoundError,
  type NotifierStandingView,
  NotifierStandingsService,
} from './notifier-standings.service';
import { NOTIFIER_SORTS, type NotifierSort, type NotifierStats, NotifierStatsService } from './notifier-stats.service';

class InvalidNotifierError extends DomainError {
  readonly kind = 'invalid';
}

export interface NotifierDetail {
  stats: NotifierStats | null;
  standing: NotifierStandingView;
}

export interface CaseNotifierView {
  notifier: NotifierStats | null;
  badFaithSigns: BadFaithSign[];
}

/**
 * Staff's view of notifiers: their records, and the warnings and suspensions staff decide (DSA Art. 23). Legal and
 * admin staff decide; viewers read. A key is `agency:<id>` or `email:<keyed hash>`, as the list gives it.
 */
@ApiTags('staff: notifiers')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('api/v1/staff')
@UseGuards(StaffGuard)
export class NotifiersController {
  constructor(
    private readonly stats: NotifierStatsService,
    private readonly standings: NotifierStandingsService,
    private readonly signs: BadFaithSignsService,
    private readonly dataSource: DataSource,
  ) {}

  @Get('notifiers')
  @Roles(...ANY_STAFF)
  @ApiOperation({ summary: 'Notifiers with their counts, by rejected share by default' })
  @ApiQuery({ name: 'sort', required: false, enum: NOTIFIER_SORTS })
  list(@Query('sort') sort?: string): Promise<NotifierStats[]> {
    if (sort !== undefined && !NOTIFIER_SORTS.includes(sort as NotifierSort)) {
      throw new InvalidNotifierError(`sort must be one of ${NOTIFIER_SORTS.join(', ')}.`);
    }
    return this.stats.list(sort as NotifierSort | undefined);
  }

  @Get('notifiers/:key')
  @Roles(...ANY_STAFF)
  @ApiOperation({ summary: "A notifier's counts, standing and the decisions about it" })
  async detail(@Param('key') key: string): Promise<NotifierDetail> {
    checkKey(key);
    return { stats: await this.stats.forKey(key), standing: await this.standings.detail(key) };
  }

  @Post('notifiers/:key/warning')
  @Roles(...DECIDERS)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Warn the notifier about unfounded notices; they are written a letter' })
  warn(
    @Param('key') key: string,
    @Body() dto: NotifierDecisionDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<NotifierStandingView> {
    checkKey(key);
    return this.standings.warn(key, staff.id, dto.reason);
  }

  @Post('notifiers/:key/suspension')
  @Roles(...DECIDERS)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Suspend for some days: the notifier's notices are kept but not processed" })
  suspend(
    @Param('key') key: string,
    @Body() dto: NotifierSuspensionDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<NotifierStandingView> {
    checkKey(key);
    return this.standings.suspend(key, staff.id, dto.reason, dto.days);
  }

  @Post('notifiers/:key/lift')
  @Roles(...DECIDERS)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Lift the suspension before its end' })
  lift(
    @Param('key') key: string,
    @Body() dto: NotifierDecisionDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<NotifierStandingView> {
    checkKey(key);
    return this.standings.lift(key, staff.id, dto.reason);
  }

  @Get('cases/:reference/notifier')
  @Roles(...ANY_STAFF)
  @ApiOperation({ summary: "A case's notifier with its counts, and the signs of a bad-faith notice (never acted on)" })
  async forCase(@Param('reference') reference: string): Promise<CaseNotifierView> {
    const [kase] = await this.dataSource.query<{ id: string }[]>(`SELECT id FROM cases WHERE reference = $1`, [
      reference,
    ]);
    if (!kase) throw new NotifierNotFoundError(`No case ${reference}.`);
    return { notifier: await this.stats.forCase(kase.id), badFaithSigns: await this.signs.forCase(kase.id) };
  }
}

function checkKey(key: string): void {
  if (!isNotifierKey(key)) throw new InvalidNotifierError('A notifier key is agency:<id> or email:<hash>.');
}
