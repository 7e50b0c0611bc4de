import { CaseStatus } from './case.entity';

/** Statuses in which a reply may still change what happens to the case. */
const OPEN_STATUSES: readonly CaseStatus[] = [CaseStatus.Received, CaseStatus.NeedsInfo, CaseStatus.InReview];

/**
 * Whether a revised case goes back to the router: when its record is a complete takedown notice that is not held,
 * the case is open or already actioned, and the revision made it complete or added links that wait for routing.
 */
export function routesAgain(r: {
  status: CaseStatus;
  held: boolean;
  actionable: boolean;
  wasComplete: boolean;
  newPendingLinks: number;
}): boolean {
  if (r.held || !r.actionable) return false;
  if (!OPEN_STATUSES.includes(r.status) && r.status !== CaseStatus.Actioned) return false;
  return !r.wasComplete || r.newPendingLinks > 0;
}
