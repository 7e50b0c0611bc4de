import { Type } from 'class-transformer';
import { DecideComplaintDto } from '../../complaints/dto/complaint.dto';
import { NotifierDecisionDto, NotifierSuspensionDto } from '../../notifiers/dto/notifier-decision.dto';
import { StandingDecisionDto } from '../../strikes/dto/standing.dto';
import { Required } from '../page-form';

/** Approving, declining or undoing a termination on the uploader's page: the reason is kept with the decision. */
export class StandingDecisionForm extends StandingDecisionDto {
  @Required('Write why, in Reason: it is kept with the decision on the uploader’s record.')
  declare reason: string;
}

/** A decision on a complaint from the case page: the outcome, and the reasons the person is sent. */
export class DecideComplaintForm extends DecideComplaintDto {
  @Required('Write the reasons in Reason: the person who complained is sent them.')
  declare reason: string;
}

/** Warning a notifier, or lifting its suspension, on the notifier's page: the reason is kept and told to them. */
export class NotifierDecisionForm extends NotifierDecisionDto {
  @Required('Write why, in Reason: it is kept with the decision and the notifier is told it.')
  declare reason: string;
}

/** Suspending a notifier on its page: for how many days, and why. */
export class NotifierSuspensionForm extends NotifierSuspensionDto {
  @Required('Write why, in Reason: it is kept with the decision and the notifier is told it.')
  declare reason: string;
  @Type(() => Number)
  declare days: number;
}
