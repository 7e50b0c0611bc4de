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
import { ApiBearerAuth, ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DECIDERS, Roles } from '../auth/roles.decorator';
import type { StaffPrincipal } from '../auth/staff-auth.service';
import { CurrentStaff, StaffGuard } from '../auth/staff.guard';
import { PrivacyQueueQueryDto, RejectPrivacyRequestDto } from './dto/privacy-request-actions.dto';
import {
  type PrivacyQueueItem,
  type PrivacyRequestDetail,
  type PrivacyRequestSummary,
  PrivacyRequestsService,
} from './privacy-requests.service';

const ID = 'id';

/** Staff's privacy-request API: the queue with deadlines, a request in full, and the decisions. Legal and admin. */
@ApiTags('staff: privacy requests')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('api/v1/staff/privacy-requests')
@UseGuards(StaffGuard)
@Roles(...DECIDERS)
export class PrivacyRequestsController {
  constructor(private readonly requests: PrivacyRequestsService) {}

  @Get()
  @ApiOperation({ summary: 'Privacy requests: open ones by deadline, with the overdue flag' })
  async list(@Query() query: PrivacyQueueQueryDto): Promise<{ items: PrivacyQueueItem[] }> {
    return { items: await this.requests.queue(query.scope ?? 'open') };
  }

  @Get(`:${ID}`)
  @ApiOperation({ summary: 'One request: addresses as they read now, outcome, allowed actions, every step' })
  get(@Param(ID, new ParseUUIDPipe()) id: string): Promise<PrivacyRequestDetail> {
    return this.requests.detail(id);
  }

  @Post(`:${ID}/erase`)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Carry out a confirmed erasure; the requester is told what was kept and why' })
  erase(
    @Param(ID, new ParseUUIDPipe()) id: string,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<PrivacyRequestSummary> {
    return this.requests.carryOutErasure(id, staff.id);
  }

  @Post(`:${ID}/confirm-minor`)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Confirm a parent's or guardian's request for a minor's data: it is erased now" })
  confirmMinor(
    @Param(ID, new ParseUUIDPipe()) id: string,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<PrivacyRequestSummary> {
    return this.requests.confirmMinor(id, staff.id);
  }

  @Post(`:${ID}/reject`)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Refuse the request with a reason the requester is told; a minor's data is released" })
  reject(
    @Param(ID, new ParseUUIDPipe()) id: string,
    @Body() dto: RejectPrivacyRequestDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<PrivacyRequestSummary> {
    return this.requests.reject(id, dto.reason, staff.id);
  }

  @Post(`:${ID}/export`)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Mail (again) a link to the access export; an older link stops working' })
  sendExport(
    @Param(ID, new ParseUUIDPipe()) id: string,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<PrivacyRequestSummary & { exportExpiresAt: Date }> {
    return this.requests.sendExport(id, staff.id);
  }
}
