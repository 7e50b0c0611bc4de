import { Body, Controller, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DECIDERS, Roles } from '../auth/roles.decorator';
import type { StaffPrincipal } from '../auth/staff-auth.service';
import { CurrentStaff, StaffGuard } from '../auth/staff.guard';
import { type CounterNoticeState, CounterNoticesService } from './counter-notices.service';
import { SuitDto, WithdrawCounterNoticeDto } from './dto/counter-notice-actions.dto';

const PATH = 'cases/:reference/counter-notices/:id';

/** Staff actions on a case's counter-notice: forward it after review, record a suit, withdraw it. */
@ApiTags('staff: counter-notices')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('api/v1/staff')
@UseGuards(StaffGuard)
export class StaffCounterNoticesController {
  constructor(private readonly counterNotices: CounterNoticesService) {}

  @Post(`${PATH}/forward`)
  @HttpCode(HttpStatus.OK)
  @Roles(...DECIDERS)
  @ApiOperation({ summary: 'Forward a reviewed, complete counter-notice: the restore clock counts from its receipt' })
  forward(
    @Param('reference') reference: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<CounterNoticeState> {
    return this.counterNotices.forwardReviewed(reference, id, staff.id);
  }

  @Post(`${PATH}/suit`)
  @HttpCode(HttpStatus.OK)
  @Roles(...DECIDERS)
  @ApiOperation({ summary: "Record the complainant's suit: the restoration stops and the case is put on legal hold" })
  suit(
    @Param('reference') reference: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: SuitDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<CounterNoticeState> {
    return this.counterNotices.recordSuit(reference, id, dto, { staffId: staff.id });
  }

  @Post(`${PATH}/withdraw`)
  @HttpCode(HttpStatus.OK)
  @Roles(...DECIDERS)
  @ApiOperation({ summary: "Withdraw a counter-notice at its sender's request" })
  withdraw(
    @Param('reference') reference: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: WithdrawCounterNoticeDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<CounterNoticeState> {
    return this.counterNotices.withdraw(reference, id, dto.reason, staff.id);
  }
}
