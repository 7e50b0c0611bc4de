import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { COUNTER_NOTICE_ELEMENTS, type ElementName, TAKEDOWN_ELEMENTS } from '../../checklist';
import type { LinkClassification, LinkRole } from '../../links';
import { NoticeChannel } from '../../cases/notice.entity';
import { CaseStatus } from '../../cases/case.entity';
import { NOTIFIER_KEY } from '../../notifiers/notifier-key';
import {
  COUNTER_NOTICE_FILTERS,
  type CounterNoticeFilter,
  NOTIFIER_STANDING_FILTERS,
  type NotifierStandingFilter,
  QUEUE_MAX_PER_PAGE,
  QUEUE_SORTS,
  type QueueSort,
} from '../case-queue.service';
import { BULK_MAX_CASES, type BulkAction } from '../triage.service';

export const ELEMENT_NAMES: readonly ElementName[] = [...new Set([...TAKEDOWN_ELEMENTS, ...COUNTER_NOTICE_ELEMENTS])];
const REASON_MAX = 5_000;
const NOTE_MAX = 10_000;
const LINKS_MAX = 10_000;

const list = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;
const bool = ({ value }: { value: unknown }): unknown =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

/** The queue's query string: every filter optional; lists are comma-separated. */
export class QueueQueryDto {
  @ApiPropertyOptional({ description: 'Comma-separated statuses', example: 'received,in_review' })
  @IsOptional()
  @Transform(list)
  @IsArray()
  @IsEnum(CaseStatus, { each: true })
  status?: CaseStatus[];

  @ApiPropertyOptional({ enum: NoticeChannel, enumName: 'NoticeChannel' })
  @IsOptional()
  @IsEnum(NoticeChannel)
  channel?: NoticeChannel;

  @ApiPropertyOptional({ description: "An element the notice lacks, or 'any' for every deficient notice" })
  @IsOptional()
  @IsIn([...ELEMENT_NAMES, 'any'])
  missing?: ElementName | 'any';

  @ApiPropertyOptional({ description: 'A storage provider id from the registry', example: 'mega' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  provider?: string;

  @ApiPropertyOptional({ description: 'A host; matches links on it and its subdomains', example: 'example.com' })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  domain?: string;

  @ApiPropertyOptional({ description: "A staff id, 'me', or 'none' for unassigned" })
  @IsOptional()
  @ValidateIf((o: QueueQueryDto) => o.assignee !== 'me' && o.assignee !== 'none')
  @IsUUID()
  assignee?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({
    enum: COUNTER_NOTICE_FILTERS,
    description: 'Cases with a counter-notice: any, open, or overdue (past the last restore day)',
  })
  @IsOptional()
  @IsIn(COUNTER_NOTICE_FILTERS)
  counterNotice?: CounterNoticeFilter;

  @ApiPropertyOptional({
    description: "A notifier's key, as the notifiers view names it (agency:<id> or email:<hash>): its cases only",
  })
  @IsOptional()
  @IsString()
  @Matches(NOTIFIER_KEY, {
    message: 'notifier must be a notifier key as the notifiers view shows it: agency:<id> or email:<hash>',
  })
  notifier?: string;

  @ApiPropertyOptional({
    enum: NOTIFIER_STANDING_FILTERS,
    description: "Cases whose notifier staff warned, suspended, or either ('flagged')",
  })
  @IsOptional()
  @IsIn(NOTIFIER_STANDING_FILTERS)
  notifierStanding?: NotifierStandingFilter;

  @ApiPropertyOptional({ description: 'A case reference, an email address, or (part of) a URL' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  q?: string;

  @ApiPropertyOptional({ enum: QUEUE_SORTS, default: 'oldest' })
  @IsOptional()
  @IsIn(QUEUE_SORTS)
  sort?: QueueSort;

  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  page?: number;

  @ApiPropertyOptional({ default: 25, maximum: QUEUE_MAX_PER_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(QUEUE_MAX_PER_PAGE)
  perPage?: number;
}

export class TransitionDto {
  @ApiProperty({ enum: CaseStatus }) @IsEnum(CaseStatus) to!: CaseStatus;
  @ApiPropertyOptional({ description: 'Required to reject, withdraw or reopen' })
  @IsOptional()
  @IsString()
  @MaxLength(REASON_MAX)
  reason?: string;
}

export class AssignDto {
  @ApiProperty({ nullable: true, description: 'A legal or admin staff id; null unassigns' })
  @ValidateIf((o: AssignDto) => o.assigneeId !== null)
  @IsUUID()
  assigneeId!: string | null;
}

export class ApproveDto {
  @ApiPropertyOptional({ description: 'The links to approve; all pending links when absent', type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(LINKS_MAX)
  @IsUUID('all', { each: true })
  linkIds?: string[];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(REASON_MAX) reason?: string;
}

export class RejectDto {
  @ApiPropertyOptional({ description: 'A reason template; its body is the reason unless `reason` is given' })
  @IsOptional()
  @IsUUID()
  templateId?: string;
  @ApiPropertyOptional({ description: 'The reason as sent to the sender' })
  @IsOptional()
  @IsString()
  @MaxLength(REASON_MAX)
  reason?: string;
  @ApiPropertyOptional({ description: 'Reject only these links; the whole case when absent', type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(LINKS_MAX)
  @IsUUID('all', { each: true })
  linkIds?: string[];
}

export class RestoreDto {
  @ApiProperty({ description: 'Taken-down links to put back', type: [String] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(LINKS_MAX)
  @IsUUID('all', { each: true })
  linkIds!: string[];
  @ApiProperty({ description: 'Why, for the audit log (for example the counter-notice and its waiting period)' })
  @IsString()
  @MinLength(1)
  @MaxLength(REASON_MAX)
  reason!: string;
}

export class RequestInfoDto {
  @ApiPropertyOptional({ description: 'What to ask for; every missing element when absent', type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(ELEMENT_NAMES, { each: true })
  elements?: ElementName[];
  @ApiPropertyOptional({ description: 'A note added to the letter' })
  @IsOptional()
  @IsString()
  @MaxLength(REASON_MAX)
  message?: string;
}

export class ElementOverrideDto {
  @ApiProperty({ enum: ELEMENT_NAMES }) @IsIn(ELEMENT_NAMES) element!: ElementName;
  @ApiProperty({ description: 'Whether the element is in the notice, in your judgement' })
  @IsBoolean()
  present!: boolean;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(REASON_MAX) reason!: string;
}

export class LinkSortingDto {
  @ApiProperty({ enum: ['internal', 'external_disk', 'external_other', 'invalid'] })
  @IsIn(['internal', 'external_disk', 'external_other', 'invalid'])
  classification!: LinkClassification;
  @ApiPropertyOptional({ description: 'Registry id, for external_disk' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  provider?: string;
  @ApiPropertyOptional({ enum: ['infringing', 'original', 'reference'] })
  @IsOptional()
  @IsIn(['infringing', 'original', 'reference'])
  role?: LinkRole;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(REASON_MAX) reason!: string;
}

export class NoteDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(NOTE_MAX) text!: string;
}

export class BulkDto {
  @ApiProperty({ type: [String], maxItems: BULK_MAX_CASES })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BULK_MAX_CASES)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  references!: string[];
  @ApiProperty({ enum: ['approve', 'reject', 'assign'] })
  @IsIn(['approve', 'reject', 'assign'])
  action!: 'approve' | 'reject' | 'assign';
  @ApiPropertyOptional() @IsOptional() @IsUUID() templateId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(REASON_MAX) reason?: string;
  @ApiPropertyOptional({ nullable: true })
  @ValidateIf((o: BulkDto) => o.action === 'assign' && o.assigneeId !== null)
  @IsUUID()
  assigneeId?: string | null;
}

export class ConfirmRetractionDto {
  @ApiPropertyOptional({ description: 'The URLs retracted; the whole notice when absent', type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(LINKS_MAX)
  @IsString({ each: true })
  @MaxLength(4096, { each: true })
  urls?: string[];
  @ApiProperty({ description: 'Why staff carry it out: the complainant mail it came in, for the audit log' })
  @IsString()
  @MinLength(1)
  @MaxLength(REASON_MAX)
  reason!: string;
}

export class ReasonTemplateDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) title!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(REASON_MAX) body!: string;
}

export class ActionResultDto {
  @ApiProperty() reference!: string;
  @ApiProperty({ enum: CaseStatus }) status!: CaseStatus;
  @ApiPropertyOptional() links?: number;
  @ApiPropertyOptional({ enum: ['queued', 'no_recipient'] }) letter?: 'queued' | 'no_recipient';
}

export class BulkResultDto {
  @ApiProperty() reference!: string;
  @ApiProperty() ok!: boolean;
  @ApiPropertyOptional({ enum: CaseStatus }) status?: CaseStatus;
  @ApiPropertyOptional() error?: string;
}

/** The service's bulk action for a validated request: each action with only the fields it uses. */
export function bulkActionOf(dto: BulkDto): BulkAction {
  switch (dto.action) {
    case 'approve':
      return { action: 'approve' };
    case 'reject':
      return { action: 'reject', templateId: dto.templateId, reason: dto.reason };
    case 'assign':
      return { action: 'assign', assigneeId: dto.assigneeId ?? null };
  }
}
