import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ANY_STAFF, DECIDERS, Roles } from '../auth/roles.decorator';
import type { StaffPrincipal } from '../auth/staff-auth.service';
import { CurrentStaff, StaffGuard } from '../auth/staff.guard';
import { ComplaintRefusedError, type ComplaintView, ComplaintsService } from './complaints.service';
import { DecideComplaintDto } from './dto/complaint.dto';

const SCOPES = ['open', 'decided', 'all'] as const;

/** Staff's side of complaints against decisions: the list, taking one up, and the reasoned decision. */
@ApiTags('staff: complaints')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('api/v1/staff/complaints')
@UseGuards(StaffGuard)
export class StaffComplaintsController {
  constructor(private readonly complaints: ComplaintsService) {}

  @Get()
  @Roles(...ANY_STAFF)
  @ApiOperation({ summary: 'Complaints against decisions: open ones by default, oldest first' })
  @ApiQuery({ name: 'scope', required: false, enum: SCOPES })
  list(@Query('scope') scope?: string): Promise<ComplaintView[]> {
    const chosen = SCOPES.find((s) => s === (scope ?? 'open'));
    if (!chosen) throw new ComplaintRefusedError(`scope must be one of ${SCOPES.join(', ')}.`);
    return this.complaints.list(chosen);
  }

  @Get(':id')
  @Roles(...ANY_STAFF)
  detail(@Param('id', new ParseUUIDPipe()) id: string): Promise<ComplaintView> {
    return this.complaints.detail(id);
  }

  @Post(':id/review')
  @Roles(...DECIDERS)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Take the complaint up: received → in review' })
  review(@Param('id', new ParseUUIDPipe()) id: string, @CurrentStaff() staff: StaffPrincipal): Promise<ComplaintView> {
    return this.complaints.review(id, staff.id);
  }

  @Post(':id/decision')
  @Roles(...DECIDERS)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Decide: upheld (the decision stands) or reversed (it is undone), with the reasons sent' })
  decide(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: DecideComplaintDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<ComplaintView> {
    return this.complaints.decide(id, dto.outcome, dto.reason, staff.id);
  }
}
