import { Controller, Param, ParseUUIDPipe, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { DECIDERS } from '../auth/roles.decorator';
import type { StaffPrincipal } from '../auth/staff-auth.service';
import { CurrentStaff, StaffGuard } from '../auth/staff.guard';
import { ComplaintStatus } from '../complaints/complaint.entity';
import { ComplaintsService } from '../complaints/complaints.service';
import { DecideComplaintForm } from './dto/decision-forms';
import { PageAction } from './page-action';
import { PageForm } from './page-form';
import { StaffPageErrorFilter } from './staff-page-error.filter';
import { CasePageActions } from './staff-pages.controller';

const REFERENCE = 'reference';

/**
 * Complaints against decisions on the case page (DSA Art. 20): taking one up and deciding it, through the same
 * ComplaintsService as the JSON API; a refusal (the person who made the decision, say) shows the case page again.
 */
@Controller('staff')
@UseGuards(StaffGuard)
@UseFilters(StaffPageErrorFilter)
@UseInterceptors(CasePageActions)
export class CaseComplaintsPagesController {
  constructor(private readonly complaints: ComplaintsService) {}

  @PageAction(`cases/:${REFERENCE}/complaints/:id/review`, { roles: DECIDERS, form: 'complaint-review' })
  async review(
    @Param(REFERENCE) _reference: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<string> {
    await this.complaints.review(id, staff.id);
    return 'You have taken the complaint up.';
  }

  @PageAction(`cases/:${REFERENCE}/complaints/:id/decision`, { roles: DECIDERS, form: 'complaint-decision' })
  async decide(
    @Param(REFERENCE) _reference: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @PageForm() form: DecideComplaintForm,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<string> {
    const done = await this.complaints.decide(id, form.outcome, form.reason, staff.id);
    return done.status === ComplaintStatus.Reversed
      ? 'Complaint decided: the decision is reversed, and the person is told why.'
      : 'Complaint decided: the decision stands, and the person is told why.';
  }
}
