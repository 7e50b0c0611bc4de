import { isActionable, type LinkClassification, type LinkRole } from '../links';
import { LinkStatus } from './reported-link.entity';

/**
 * Each reported link's own workflow: for each status, where it may go. Staff approve and reject; the worker
 * takes down, refers and finds missing; a counter-notice restores; the complainant's retraction ends it.
 */
export const LINK_TRANSITIONS: Readonly<Record<LinkStatus, readonly LinkStatus[]>> = {
  [LinkStatus.Pending]: [
    LinkStatus.Approved,
    LinkStatus.Rejected,
    LinkStatus.Referred,
    LinkStatus.NotFound,
    LinkStatus.Ignored,
    LinkStatus.Retracted,
  ],
  [LinkStatus.Approved]: [
    LinkStatus.TakenDown,
    LinkStatus.Referred,
    LinkStatus.NotFound,
    LinkStatus.Rejected,
    LinkStatus.Retracted,
  ],
  [LinkStatus.TakenDown]: [LinkStatus.Restored],
  [LinkStatus.Referred]: [LinkStatus.Retracted],
  [LinkStatus.Rejected]: [LinkStatus.Approved, LinkStatus.Pending, LinkStatus.Retracted],
  [LinkStatus.Restored]: [LinkStatus.Approved],
  [LinkStatus.NotFound]: [LinkStatus.Approved, LinkStatus.Rejected, LinkStatus.Retracted],
  [LinkStatus.Ignored]: [LinkStatus.Pending, LinkStatus.Approved, LinkStatus.Rejected, LinkStatus.Retracted],
  // A retraction ends the link's story; a taken-down link is restored instead.
  [LinkStatus.Retracted]: [],
};

export function canMoveLink(from: LinkStatus, to: LinkStatus): boolean {
  return LINK_TRANSITIONS[from].includes(to);
}

/**
 * The status a link is recorded with: an infringing link we can act on waits for the pipeline (pending); any other
 * link (the work, a reference, a link elsewhere) is kept for the record and ignored until staff re-sort it.
 */
export function initialLinkStatus(link: { classification: LinkClassification; role: LinkRole }): LinkStatus {
  return link.role === 'infringing' && isActionable(link.classification) ? LinkStatus.Pending : LinkStatus.Ignored;
}
