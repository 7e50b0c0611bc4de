import type { SlaConfig } from '../core/config';
import { addBusinessDays, endOfDay } from './sla';

/** When removed material may, and must, be put back after a complete counter-notice. */
export interface RestoreWindow {
  /** The earliest instant: ten full business days after receipt. */
  notBefore: Date;
  /** The latest: the end of the fourteenth business day after receipt. */
  notAfter: Date;
  /** When the worker restores: `businessDays` after receipt (COUNTER_NOTICE_RESTORE_BUSINESS_DAYS). */
  dueAt: Date;
}

/**
 * 17 U.S.C. 512(g)(2)(C): the material is replaced "not less than 10, nor more than 14, business days following
 * receipt of the counter notice", counted from receipt of the complete counter-notice (not from its review or
 * forwarding) on the service-level calendar (SLA_TIMEZONE, SLA_HOLIDAYS). A counter-notice received on a day off
 * starts counting at the next business day's midnight, as every business-day clock here does.
 */
export function restoreWindow(
  receivedAt: Date,
  businessDays: number,
  calendar: Pick<SlaConfig, 'holidays' | 'timeZone'>,
): RestoreWindow {
  if (businessDays < 10 || businessDays > 14) {
    throw new RangeError(`A restoration falls 10 to 14 business days after receipt, not ${businessDays}.`);
  }
  return {
    notBefore: addBusinessDays(receivedAt, 10, calendar),
    notAfter: endOfDay(addBusinessDays(receivedAt, 14, calendar), calendar),
    dueAt: addBusinessDays(receivedAt, businessDays, calendar),
  };
}
