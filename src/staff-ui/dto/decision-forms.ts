import { DecideComplaintDto } from '../../complaints/dto/complaint.dto';
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
