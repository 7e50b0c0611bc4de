import { Body, Controller, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DECIDERS, Roles } from '../auth/roles.decorator';
import type { StaffPrincipal } from '../auth/staff-auth.service';
import { CurrentStaff, StaffGuard } from '../auth/staff.guard';
import { LegalHoldDto, ReleaseLegalHoldDto } from './dto/legal-hold.dto';
import { type LegalHoldView, LegalHoldsService } from './legal-holds.service';

const REFERENCE = 'reference';

/** Legal holds beside the triage API: legal and admin staff set a preservation hold, and release any hold. */
@ApiTags('staff: triage')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('api/v1/staff/cases')
@UseGuards(StaffGuard)
export class LegalHoldsController {
  constructor(private readonly holds: LegalHoldsService) {}

  @Post(`:${REFERENCE}/legal-holds`)
  @Roles(...DECIDERS)
  @ApiOperation({ summary: 'Put the case on a preservation hold: retention removes nothing of it until released' })
  set(
    @Param(REFERENCE) reference: string,
    @Body() dto: LegalHoldDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<LegalHoldView> {
    return this.holds.set(reference, dto.reason, staff);
  }

  @Post(`:${REFERENCE}/legal-holds/:id/release`)
  @Roles(...DECIDERS)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Release a legal hold in force (a preservation hold, or a suit that ended)' })
  release(
    @Param(REFERENCE) reference: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: ReleaseLegalHoldDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<LegalHoldView> {
    return this.holds.release(reference, id, dto.reason, staff);
  }
}
