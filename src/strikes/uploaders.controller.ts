import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ANY_STAFF, DECIDERS, Roles } from '../auth/roles.decorator';
import type { StaffPrincipal } from '../auth/staff-auth.service';
import { CurrentStaff, StaffGuard } from '../auth/staff.guard';
import { DomainError } from '../core/errors';
import { StandingDecisionDto } from './dto/standing.dto';
import { UploaderStandingStatus } from './uploader-standing.entity';
import { type UploaderDetail, type UploaderSummary, UploaderStandingService } from './uploader-standing.service';

class InvalidStatusError extends DomainError {
  readonly kind = 'invalid';
}

/**
 * Staff's view of uploaders under the repeat-infringer policy: the termination recommendations to decide, and the
 * decisions. Legal and admin staff decide; viewers read.
 */
@ApiTags('staff: repeat infringers')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('api/v1/staff/uploaders')
@UseGuards(StaffGuard)
export class UploadersController {
  constructor(private readonly standings: UploaderStandingService) {}

  @Get()
  @Roles(...ANY_STAFF)
  @ApiOperation({ summary: 'Uploaders by standing: the termination recommendations by default' })
  @ApiQuery({ name: 'status', required: false, enum: UploaderStandingStatus })
  list(@Query('status') status?: string): Promise<UploaderSummary[]> {
    if (status !== undefined && !Object.values(UploaderStandingStatus).includes(status as UploaderStandingStatus)) {
      throw new InvalidStatusError(`status must be one of ${Object.values(UploaderStandingStatus).join(', ')}.`);
    }
    return this.standings.list(status as UploaderStandingStatus | undefined);
  }

  @Get(':uploaderId')
  @Roles(...ANY_STAFF)
  @ApiOperation({ summary: "An uploader's strikes, standing and the decisions about it" })
  detail(@Param('uploaderId') uploaderId: string): Promise<UploaderDetail> {
    return this.standings.detail(uploaderId);
  }

  @Post(':uploaderId/termination')
  @Roles(...DECIDERS)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Approve the recommended termination: the site suspends the uploader, who is told' })
  suspend(
    @Param('uploaderId') uploaderId: string,
    @Body() dto: StandingDecisionDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<UploaderSummary> {
    return this.standings.suspend(uploaderId, staff.id, dto.reason);
  }

  @Post(':uploaderId/decline')
  @Roles(...DECIDERS)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Decline the recommended termination; the uploader stays' })
  decline(
    @Param('uploaderId') uploaderId: string,
    @Body() dto: StandingDecisionDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<UploaderSummary> {
    return this.standings.decline(uploaderId, staff.id, dto.reason);
  }

  @Post(':uploaderId/reinstatement')
  @Roles(...DECIDERS)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Reinstate a terminated uploader: the site serves their pages again' })
  reinstate(
    @Param('uploaderId') uploaderId: string,
    @Body() dto: StandingDecisionDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<UploaderSummary> {
    return this.standings.reinstate(uploaderId, staff.id, dto.reason);
  }
}
