import { TakedownStatus } from './takedown.entity';

/**
 * The takedown statuses that hold a site ref down. `done` removed it; `pending` is a removal already decided (routed,
 * or approved by staff) that the sweep carries out once due, and may be carrying out right now: putting the ref back
 * under it would serve the file against a notice we chose to act on, only for the sweep to remove it again, or, with
 * the sweep's call in flight, leave that case recorded `done` while the site serves the file. `awaiting_approval`
 * does not hold: nothing is decided, staff may reject it, and if they approve it the sweep removes the ref again.
 */
export const HOLDS_DOWN: readonly TakedownStatus[] = [TakedownStatus.Done, TakedownStatus.Pending];

/** Another takedown naming one of the refs being restored: of another case, or of another link of the same case. */
export interface OtherTakedown {
  siteRef: string;
  /** The reference of the case it belongs to. */
  reference: string;
  status: TakedownStatus;
}

export interface RestorePlan {
  /** The refs no other takedown holds down: the site puts these back. */
  putBack: string[];
  /** Each ref that stays down with each case that holds it, sorted by ref, then case. */
  heldDown: { siteRef: string; byCase: string }[];
}

/** Which of the refs being restored go back on the site, and which stay down for another takedown still in force. */
export function restorePlan(refs: readonly string[], others: readonly OtherTakedown[]): RestorePlan {
  const holders = new Map<string, Set<string>>();
  for (const t of others) {
    if (!HOLDS_DOWN.includes(t.status)) continue;
    holders.set(t.siteRef, (holders.get(t.siteRef) ?? new Set()).add(t.reference));
  }
  const unique = [...new Set(refs)].sort();
  return {
    putBack: unique.filter((ref) => !holders.has(ref)),
    heldDown: unique.flatMap((siteRef) =>
      [...(holders.get(siteRef) ?? [])].sort().map((byCase) => ({ siteRef, byCase })),
    ),
  };
}
