import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { CreateApiTokenDto } from '../../auth/dto/create-api-token.dto';
import { StaffRole } from '../../auth/staff-user.entity';
import {
  AssignDto,
  BulkDto,
  ElementOverrideDto,
  LinkSortingDto,
  NoteDto,
  ReasonTemplateDto,
  RequestInfoDto,
  TransitionDto,
} from '../../triage/dto/triage.dto';
import { LegalHoldDto, ReleaseLegalHoldDto } from '../../triage/dto/legal-hold.dto';
import { Required } from '../page-form';
import { SuitDto, WithdrawCounterNoticeDto } from '../../counter-notices/dto/counter-notice-actions.dto';
import { RejectPrivacyRequestDto } from '../../privacy/dto/privacy-request-actions.dto';

/**
 * The staff pages' forms as DTOs. Each extends the JSON API's DTO where there is one, so that the pages and the API
 * refuse the same things; what a form adds is how a browser sends it (a ticked box as a string or a list, "none"
 * for nobody, yes/no for true/false) and, for a field left empty, a message that says what to do (@Required).
 */

type Form = Record<string, unknown>;
type TransformArgs = { value: unknown; obj: Form };

/** A repeated field (checkboxes) arrives as a string when one box is ticked. */
const asList = ({ value }: TransformArgs): unknown => (typeof value === 'string' ? [value] : value);
/** "none" in a select stands for nobody. */
const noneAsNull = ({ value }: TransformArgs): unknown => (value === 'none' ? null : value);
/** A field that only one of the form's actions reads; the others leave it out. */
const onlyFor =
  (action: string, then: (args: TransformArgs) => unknown = ({ value }) => value) =>
  (args: TransformArgs): unknown =>
    args.obj.action === action ? then(args) : undefined;
const REASON_MAX = 5_000;
const LINKS_MAX = 10_000;

export class AssignForm extends AssignDto {
  @Required('Choose whom to assign the case to.')
  @Transform(noneAsNull)
  declare assigneeId: string | null;
}

export class TransitionForm extends TransitionDto {
  @Required('Choose the status to move the case to.')
  declare to: TransitionDto['to'];
}

/** The links table: approve, reject or restore the ticked links. */
export class LinksForm {
  @Required('Tick at least one link first.')
  @Transform(asList)
  @IsArray()
  @ArrayMaxSize(LINKS_MAX)
  @IsUUID('all', { each: true })
  linkIds!: string[];

  @IsIn(['approve', 'reject', 'restore'], { message: 'Choose approve, reject or restore.' })
  action!: 'approve' | 'reject' | 'restore';

  @IsOptional() @IsUUID() templateId?: string;

  @Required('Write why the links are put back, in Reason.', (form) => form.action === 'restore')
  @IsOptional()
  @IsString()
  @MaxLength(REASON_MAX)
  reason?: string;
}

export class RequestInfoForm extends RequestInfoDto {
  @Transform(asList)
  declare elements?: RequestInfoDto['elements'];
}

export class NoteForm extends NoteDto {
  @Required('Write the note first.')
  declare text: string;
}

export class ElementForm extends ElementOverrideDto {
  @Required('Say whether the element is present.')
  @Transform(({ value }: TransformArgs) => ({ yes: true, no: false })[value as string] ?? value)
  declare present: boolean;

  @Required('Give a reason for the override.')
  declare reason: string;
}

export class SortingForm extends LinkSortingDto {
  /** The provider counts only for a storage link; the select keeps its value whatever is chosen. */
  @Transform(onlyFor('external_disk'))
  declare provider?: string;

  @Required('Give a reason for re-sorting the link.')
  declare reason: string;
}

/** The queue's bulk form: the ticked cases and one action, with the fields only that action reads. */
export class BulkForm extends BulkDto {
  @Required('Choose at least one case.')
  @Transform(asList)
  declare references: string[];

  @Transform(onlyFor('reject'))
  declare templateId?: string;

  @Required(
    'Choose a reason template or write a reason to reject.',
    (form) => form.action === 'reject' && form.templateId === undefined,
  )
  @Transform(onlyFor('reject'))
  declare reason?: string;

  @Required('Choose whom to assign the cases to.', (form) => form.action === 'assign')
  @Transform(onlyFor('assign', noneAsNull))
  declare assigneeId?: string | null;

  /** The queue's query string, to go back to the same view of the queue. */
  @IsOptional() @IsString() @MaxLength(4_000) back?: string;
}

export class SuitForm extends SuitDto {
  @Required('Name the court the action was filed in.')
  declare court: string;

  @Required('Give the docket number.')
  declare docketNumber: string;

  @Required('Give the day the action was filed.')
  declare filedOn: string;
}

export class WithdrawCounterNoticeForm extends WithdrawCounterNoticeDto {
  @Required("Write the sender's request, in their words or yours.")
  declare reason: string;
}

export class LegalHoldForm extends LegalHoldDto {
  @Required('Say why the case is held (for example, a 512(f) claim threatened).')
  declare reason: string;
}

export class ReleaseLegalHoldForm extends ReleaseLegalHoldDto {
  @Required('Say why the hold is released.')
  declare reason: string;
}

export class TokenForm extends CreateApiTokenDto {
  @Required('Name the token: what is it for?')
  declare name: string;
}

/** A change to one account: a new role, or disabling or enabling it. */
export class UpdateUserForm {
  @IsOptional()
  @IsEnum(StaffRole, { message: `role must be one of ${Object.values(StaffRole).join(', ')}.` })
  role?: StaffRole;

  @Required('Nothing to change.', (form) => form.role === undefined)
  @Transform(({ value }: TransformArgs) => ({ true: true, false: false })[value as string] ?? value)
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}

export class ReasonTemplateForm extends ReasonTemplateDto {
  @Required('A template needs a title and words.')
  declare title: string;

  @Required('A template needs a title and words.')
  declare body: string;
}

export class RejectPrivacyRequestForm extends RejectPrivacyRequestDto {
  @Required('Write why the request is refused, in Reason: the requester is told.')
  declare reason: string;
}
