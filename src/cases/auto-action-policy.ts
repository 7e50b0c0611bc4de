import type { EntityManager } from 'typeorm';
import type { SenderStanding, TakedownConfig } from '../core/config';

/** What the policy weighs about one complete notice's routing. */
export interface AutoActionInput {
  standing: SenderStanding;
  /** Reported URLs in the notice. */
  urls: number;
  /** Downloads of ours the routing would remove (our links and our outbound links to reported files). */
  downloads: number;
  /** The most downloads one reported page URL stands for (a page is all its downloads); 0 without page URLs. */
  largestPage: number;
}

/** Why the policy acted at once or held a notice: what `takedowns.scheduled` records as `policy.reason`. */
export const AUTO_ACTION_REASONS = [
  'approval_required',
  'page_too_large',
  'standing_not_trusted',
  'too_many_urls',
  'trusted_standing',
] as const;
export type AutoActionReason = (typeof AUTO_ACTION_REASONS)[number];

/** The standings `policy.standing` records. */
export const SENDER_STANDINGS: readonly SenderStanding[] = ['trusted_flagger', 'agency', 'verified', 'anonymous'];

export interface AutoActionDecision {
  act: boolean;
  reason: AutoActionReason;
  standing: SenderStanding;
}

/**
 * Who may cause a removal without a person looking (issue 13 §4). In order:
 * 1. TAKEDOWN_REQUIRE_APPROVAL holds everything.
 * 2. A page-level takedown that would remove more than PAGE_TAKEDOWN_MAX_DOWNLOADS downloads always waits.
 * 3. A sender whose standing is not in AUTO_ACTION_STANDINGS waits (by default: anonymous and first-time senders).
 * 4. More than AUTO_ACTION_MAX_URLS URLs wait, unless a trusted flagger sent them.
 * 5. Otherwise the takedowns fall due at once (after TAKEDOWN_DELAY_SECONDS).
 */
export function autoActionDecision(
  input: AutoActionInput,
  config: Pick<TakedownConfig, 'requireApproval' | 'autoAction'>,
): AutoActionDecision {
  const { standing } = input;
  const hold = (reason: AutoActionReason): AutoActionDecision => ({ act: false, reason, standing });
  if (config.requireApproval) return hold('approval_required');
  if (input.largestPage > config.autoAction.pageMaxDownloads) return hold('page_too_large');
  if (!config.autoAction.standings.includes(standing)) return hold('standing_not_trusted');
  if (standing !== 'trusted_flagger' && input.urls > config.autoAction.maxUrls) return hold('too_many_urls');
  return { act: true, reason: 'trusted_standing', standing };
}

/**
 * The sender's standing, from what the case's first notice shows: an agency key marked trusted flagger; an agency
 * key; an address that showed it is the sender (an email notice from it passed DMARC, now or before, or it confirmed
 * the link in our receipt) and whose earlier notices were acted on with none rejected or undone after a
 * counter-notice; anyone else (anonymous, first-time, or with a record).
 */
export async function senderStanding(
  m: EntityManager,
  caseId: string,
  confirmedRecipientHash: (email: string) => string,
  openEmail: (sealed: string | null) => Promise<string | null>,
): Promise<SenderStanding> {
  const [row] = await m.query<
    { agency_id: string | null; trusted: boolean | null; sender_hash: string | null; sender_email: string | null }[]
  >(
    `SELECT c.agency_id, a.trusted_flagger_since IS NOT NULL AS trusted, n.sender_email_hash AS sender_hash,
            n.sender_email
     FROM cases c LEFT JOIN agencies a ON a.id = c.agency_id AND a.revoked_at IS NULL
     LEFT JOIN LATERAL (SELECT sender_email_hash, sender_email FROM notices WHERE case_id = c.id
                        ORDER BY received_at, id LIMIT 1) n ON true
     WHERE c.id = $1`,
    [caseId],
  );
  if (!row) return 'anonymous';
  if (row.agency_id && row.trusted) return 'trusted_flagger';
  if (row.agency_id) return 'agency';
  if (!row.sender_hash) return 'anonymous';
  const [dmarc] = await m.query<unknown[]>(
    `SELECT 1 FROM notices WHERE sender_email_hash = $1 AND channel = 'email' AND auth->>'dmarc' = 'pass' LIMIT 1`,
    [row.sender_hash],
  );
  let verified = !!dmarc;
  if (!verified) {
    const email = await openEmail(row.sender_email);
    if (email) {
      const [confirmed] = await m.query<unknown[]>(`SELECT 1 FROM confirmed_recipients WHERE recipient_hash = $1`, [
        confirmedRecipientHash(email),
      ]);
      verified = !!confirmed;
    }
  }
  if (!verified) return 'anonymous';
  const [record] = await m.query<{ acted: number; bad: number }[]>(
    `SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM audit_events e WHERE e.case_id = o.id
                                           AND e.action = 'takedowns.done'))::int AS acted,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM audit_events e WHERE e.case_id = o.id
                                           AND e.action IN ('case.rejected', 'links.rejected',
                                                            'counter_notice.restored')))::int AS bad
     FROM cases o
     WHERE o.id <> $2 AND EXISTS (SELECT 1 FROM notices n WHERE n.case_id = o.id AND n.sender_email_hash = $1)`,
    [row.sender_hash, caseId],
  );
  return record.acted > 0 && record.bad === 0 ? 'verified' : 'anonymous';
}
