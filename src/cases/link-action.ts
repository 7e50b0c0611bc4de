import type { ChecklistResult } from '../checklist';
import type { LinkClassification, LinkRole } from '../links';

/** What the pipeline does with a reported link, as the API answer and the status page name it. */
export type LinkAction = 'takedown' | 'takedown_after_approval' | 'referral' | 'held_until_complete' | 'none';

/**
 * What the pipeline does with one reported link. Pure, so the API answer and the router agree. `heldForApproval`:
 * the auto-action policy holds the notice's takedowns for a person (auto-action-policy.ts).
 */
export function linkAction(
  link: { classification: LinkClassification; role: LinkRole },
  checklist: Pick<ChecklistResult, 'kind' | 'complete'>,
  heldForApproval: boolean,
): LinkAction {
  if (link.role !== 'infringing' || checklist.kind !== 'takedown') return 'none';
  if (link.classification !== 'internal' && link.classification !== 'external_disk') return 'none';
  if (!checklist.complete) return 'held_until_complete';
  if (link.classification === 'external_disk') return 'referral';
  return heldForApproval ? 'takedown_after_approval' : 'takedown';
}
