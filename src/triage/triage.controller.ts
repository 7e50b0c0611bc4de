import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ANY_STAFF, DECIDERS, Roles } from '../auth/roles.decorator';
import type { StaffPrincipal } from '../auth/staff-auth.service';
import { CurrentStaff, StaffGuard } from '../auth/staff.guard';
import type { ProviderRegistry } from '../links';
import { PROVIDER_REGISTRY } from '../links/links.constants';
import type { CaseDetail } from './case-detail.service';
import { CaseDetailService } from './case-detail.service';
import type { QueuePage } from './case-queue.service';
import { CaseQueueService } from './case-queue.service';
import {
  ActionResultDto,
  ApproveDto,
  AssignDto,
  BulkDto,
  bulkActionOf,
  BulkResultDto,
  ElementOverrideDto,
  LinkSortingDto,
  NoteDto,
  QueueQueryDto,
  ReasonTemplateDto,
  RejectDto,
  RequestInfoDto,
  RestoreDto,
  TransitionDto,
  ConfirmRetractionDto,
} from './dto/triage.dto';
import type { ReasonTemplateView } from './reason-templates.service';
import { ReasonTemplatesService } from './reason-templates.service';
import { TriageService } from './triage.service';
import { type RetractionResult, RetractionService } from '../takedowns/retraction.service';

const REFERENCE = 'reference';

/** The triage API: the queue, a case in full, and every staff action. Viewers read; legal and admin act. */
@ApiTags('staff: triage')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('api/v1/staff')
@UseGuards(StaffGuard)
export class TriageController {
  constructor(
    private readonly queue: CaseQueueService,
    private readonly detail: CaseDetailService,
    private readonly triage: TriageService,
    private readonly reasons: ReasonTemplatesService,
    private readonly retractions: RetractionService,
    @Inject(PROVIDER_REGISTRY) private readonly registry: ProviderRegistry,
  ) {}

  @Get('cases')
  @Roles(...ANY_STAFF)
  @ApiOperation({ summary: 'The case queue: filter, search, sort and page' })
  list(@Query() query: QueueQueryDto, @CurrentStaff() staff: StaffPrincipal): Promise<QueuePage> {
    return this.queue.list({ ...query, assignee: query.assignee === 'me' ? staff.id : query.assignee });
  }

  @Post('cases/bulk')
  @Roles(...DECIDERS)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Approve, reject or assign many cases; each succeeds or fails on its own' })
  @ApiOkResponse({ type: [BulkResultDto] })
  bulk(@Body() dto: BulkDto, @CurrentStaff() staff: StaffPrincipal): Promise<BulkResultDto[]> {
    return this.triage.bulk(dto.references, bulkActionOf(dto), staff);
  }

  @Get(`cases/:${REFERENCE}`)
  @Roles(...ANY_STAFF)
  @ApiOperation({ summary: 'A case in full: notices, checklist with evidence, links, letters, jobs, audit trail' })
  get(@Param(REFERENCE) reference: string): Promise<CaseDetail> {
    return this.detail.get(reference);
  }

  @Post(`cases/:${REFERENCE}/transitions`)
  @Roles(...DECIDERS)
  @ApiOkResponse({ type: ActionResultDto })
  transition(
    @Param(REFERENCE) reference: string,
    @Body() dto: TransitionDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<ActionResultDto> {
    return this.triage.transition(reference, dto.to, staff, dto.reason);
  }

  @Post(`cases/:${REFERENCE}/assign`)
  @Roles(...DECIDERS)
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ActionResultDto })
  assign(
    @Param(REFERENCE) reference: string,
    @Body() dto: AssignDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<ActionResultDto> {
    return this.triage.assign(reference, dto.assigneeId, staff);
  }

  @Post(`cases/:${REFERENCE}/approve`)
  @Roles(...DECIDERS)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Approve the takedown of all pending links, or of the chosen ones' })
  @ApiOkResponse({ type: ActionResultDto })
  approve(
    @Param(REFERENCE) reference: string,
    @Body() dto: ApproveDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<ActionResultDto> {
    return this.triage.approve(reference, dto.linkIds, staff, dto.reason);
  }

  @Post(`cases/:${REFERENCE}/reject`)
  @Roles(...DECIDERS)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Reject the case or chosen links, with a reason the sender is sent' })
  @ApiOkResponse({ type: ActionResultDto })
  reject(
    @Param(REFERENCE) reference: string,
    @Body() dto: RejectDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<ActionResultDto> {
    return this.triage.reject(reference, dto, staff);
  }

  @Post(`cases/:${REFERENCE}/restore`)
  @Roles(...DECIDERS)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Put back taken-down links (after a counter-notice, or a mistake)' })
  @ApiOkResponse({ type: ActionResultDto })
  restore(
    @Param(REFERENCE) reference: string,
    @Body() dto: RestoreDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<ActionResultDto> {
    return this.triage.restore(reference, dto.linkIds, dto.reason, staff);
  }

  @Post(`cases/:${REFERENCE}/retraction`)
  @Roles(...DECIDERS)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: "Carry out the complainant's retraction (one received by email that needed a person): all, or some URLs",
  })
  confirmRetraction(
    @Param(REFERENCE) reference: string,
    @Body() dto: ConfirmRetractionDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<RetractionResult> {
    return this.retractions.confirmByStaff(reference, dto.urls, dto.reason, staff.id);
  }

  @Post(`cases/:${REFERENCE}/request-info`)
  @Roles(...DECIDERS)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Send the deficiency letter and move the case to needs_info' })
  @ApiOkResponse({ type: ActionResultDto })
  requestInfo(
    @Param(REFERENCE) reference: string,
    @Body() dto: RequestInfoDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<ActionResultDto> {
    return this.triage.requestInfo(reference, dto, staff);
  }

  @Post(`cases/:${REFERENCE}/overrides/elements`)
  @Roles(...DECIDERS)
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ActionResultDto })
  overrideElement(
    @Param(REFERENCE) reference: string,
    @Body() dto: ElementOverrideDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<ActionResultDto> {
    return this.triage.overrideElement(reference, dto.element, dto.present, dto.reason, staff);
  }

  @Post(`cases/:${REFERENCE}/links/:linkId/sorting`)
  @Roles(...DECIDERS)
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ActionResultDto })
  overrideLinkSorting(
    @Param(REFERENCE) reference: string,
    @Param('linkId', new ParseUUIDPipe()) linkId: string,
    @Body() dto: LinkSortingDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<ActionResultDto> {
    const { reason, ...sorting } = dto;
    return this.triage.overrideLinkSorting(reference, linkId, sorting, reason, staff);
  }

  @Post(`cases/:${REFERENCE}/notes`)
  @Roles(...DECIDERS)
  @ApiOkResponse({ type: ActionResultDto })
  addNote(
    @Param(REFERENCE) reference: string,
    @Body() dto: NoteDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<ActionResultDto> {
    return this.triage.addNote(reference, dto.text, staff);
  }

  @Get('reason-templates')
  @Roles(...ANY_STAFF)
  listReasons(): Promise<ReasonTemplateView[]> {
    return this.reasons.list();
  }

  @Post('reason-templates')
  @Roles(...DECIDERS)
  createReason(@Body() dto: ReasonTemplateDto): Promise<ReasonTemplateView> {
    return this.reasons.create(dto.title, dto.body);
  }

  @Put('reason-templates/:id')
  @Roles(...DECIDERS)
  updateReason(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: ReasonTemplateDto,
  ): Promise<ReasonTemplateView> {
    return this.reasons.update(id, dto.title, dto.body);
  }

  @Delete('reason-templates/:id')
  @Roles(...DECIDERS)
  @HttpCode(HttpStatus.NO_CONTENT)
  archiveReason(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    return this.reasons.archive(id);
  }

  @Get('providers')
  @Roles(...ANY_STAFF)
  @ApiOperation({ summary: 'The storage providers a link can be sorted to' })
  providers(): { id: string; name: string }[] {
    return this.registry.providers.map((p) => ({ id: p.id, name: p.name }));
  }
}
