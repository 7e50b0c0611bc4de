import type { EntityManager } from 'typeorm';
import type { SortedLink } from '../links';
import { audit, type AuditAction, type AuditDetails } from './audit';
import { canMoveLink, initialLinkStatus, LINK_TRANSITIONS } from './link-workflow';
import { hostReversedSql, LinkStatus } from './reported-link.entity';
import { DomainError } from '../core/errors';

/**
 * The one writer of `reported_links.status`: links are recorded with their initial status here, and every later
 * change of status, by staff or by the system (router, sweep), goes through `moveLinks` with a named actor, checked
 * against the link workflow (LINK_TRANSITIONS) and written with the batch's audit event in the caller's transaction. Plain functions over the
 * caller's EntityManager, as `audit` is, so that intake, the router, the sweep and triage share the transaction they
 * already hold.
 */

/** A link as the door reports it: which one, and the status it had when the move was asked for. */
export interface LinkState {
  id: string;
  url: string;
  status: LinkStatus;
}

/** What a staff move does with a link the workflow refuses: the whole move is refused (409, nothing written). */
export class LinkTransitionError extends DomainError {
  readonly kind = 'conflict';

  constructor(
    readonly to: LinkStatus,
    readonly refused: LinkState[],
  ) {
    const [first] = refused;
    const allowedFrom = (Object.keys(LINK_TRANSITIONS) as LinkStatus[]).filter((s) => canMoveLink(s, to));
    super(
      `The link ${first.url} is ${first.status} and cannot be ${to}` +
        (refused.length > 1 ? ` (nor ${refused.length - 1} more)` : '') +
        `; only a link that is ${allowedFrom.join(' or ') || 'nothing'} can.`,
    );
  }
}

/** One batch of link moves and the audit event that records it. */
export interface LinkMoves<A extends AuditAction> {
  caseId: string;
  /** Who moves them: a staff member's id, or 'worker', 'sender', 'system'. */
  actor: string;
  /** Links and where each group goes; a batch may send some links one way and some another. */
  moves: readonly { linkIds: readonly string[]; to: LinkStatus }[];
  /**
   * What to do with a link the workflow refuses. `refuse`: throw LinkTransitionError and write nothing (staff
   * actions). `skip`: move the others, leave it as it is and record the refusal in the audit log for staff (the
   * system, which cannot ask anyone: a link staff decided on meanwhile keeps their decision).
   */
  onRefused: 'refuse' | 'skip';
  /** The batch's one audit event (the approval, the rejection, the routing...), written whether or not links moved. */
  event: { action: A; detail: AuditDetails[A] };
}

export interface LinkMoveResult {
  moved: (LinkState & { to: LinkStatus })[];
  /** Links the workflow refused (only with onRefused: 'skip'). */
  refused: (LinkState & { to: LinkStatus })[];
  /** The batch's audit event id. */
  event: string;
}

/**
 * Records a notice's links with their initial status (initialLinkStatus) in one statement, whatever their number,
 * and moves the case's link count with them. A URL the case already has is kept as it was, and of a URL listed twice
 * the first is kept.
 *
 * `newCase`: the case was opened in this transaction with these links, made distinct by distinctLinks, counted
 * (CaseTransitions.open's linkCount), and has none yet. They are inserted plainly: the same rows as ON CONFLICT DO
 * NOTHING would keep, without its speculative insertion for every row (a fifth of the time of a 10,000-URL notice),
 * and without a second version of the case row for its count (link_count is indexed, so that update was not HOT).
 */
export async function recordReportedLinks(
  m: EntityManager,
  caseId: string,
  noticeId: string,
  links: readonly SortedLink[],
  { newCase = false }: { newCase?: boolean } = {},
): Promise<{ inserted: number; pending: number }> {
  if (links.length === 0) return { inserted: 0, pending: 0 };
  const statuses = links.map((l) => initialLinkStatus(l));
  const insert = `INSERT INTO reported_links (case_id, notice_id, url, raw, classification, provider, role, status, position,
                                   role_reason, classification_note, host_reversed)
       SELECT $1, $2, t.*, ${hostReversedSql('t.url')}
       FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::link_status[], $9::int[],
                   $10::text[], $11::text[])
         AS t(url, raw, classification, provider, role, status, position, role_reason, classification_note)`;
  const params = [
    caseId,
    noticeId,
    links.map((l) => l.url),
    links.map((l) => l.raw),
    links.map((l) => l.classification),
    links.map((l) => l.provider),
    links.map((l) => l.role),
    statuses,
    links.map((_, i) => i),
    links.map((l) => l.roleReason ?? null),
    links.map((l) => l.reason ?? null),
  ];
  if (newCase) {
    if (distinctLinks(links) !== links) throw new Error('recordReportedLinks: a new case takes distinctLinks(...)');
    await m.query(insert, params);
    return { inserted: links.length, pending: statuses.filter((s) => s === LinkStatus.Pending).length };
  }
  // Counted in the database: a 10,000-URL notice would otherwise send back a row per link to be counted here.
  const [counts] = await m.query<{ inserted: number; pending: number }[]>(
    `WITH inserted AS (${insert} ON CONFLICT (case_id, url) DO NOTHING RETURNING status),
     counted AS (UPDATE cases SET link_count = link_count + (SELECT count(*) FROM inserted) WHERE id = $1)
     SELECT count(*)::int AS inserted, (count(*) FILTER (WHERE status = 'pending'))::int AS pending FROM inserted`,
    params,
  );
  return counts;
}

/** The links with each URL once, the first kept: the very array when it has no URL twice. */
export function distinctLinks<T extends { url: string }>(links: readonly T[]): readonly T[] {
  const seen = new Set<string>();
  const distinct = links.filter((l) => !seen.has(l.url) && seen.add(l.url));
  return distinct.length === links.length ? links : distinct;
}

/**
 * Moves links of one case: locks them, checks each move against the link workflow, writes every new status in one
 * statement and the batch's audit event beside it. A link already where it is sent is left as it is.
 */
export async function moveLinks<A extends AuditAction>(m: EntityManager, batch: LinkMoves<A>): Promise<LinkMoveResult> {
  const moved: LinkMoveResult['moved'] = [];
  const refused: LinkMoveResult['refused'] = [];
  for (const { linkIds, to } of batch.moves) {
    if (linkIds.length === 0) continue;
    const checked = await checkLinks(m, batch.caseId, linkIds, to);
    moved.push(...checked.allowed.map((l) => ({ ...l, to })));
    refused.push(...checked.refused.map((l) => ({ ...l, to })));
  }
  const [firstRefused] = refused;
  if (firstRefused && batch.onRefused === 'refuse') {
    throw new LinkTransitionError(
      firstRefused.to,
      refused.filter((l) => l.to === firstRefused.to),
    );
  }
  if (moved.length > 0) {
    await m.query(
      `UPDATE reported_links l SET status = v.status
       FROM unnest($1::uuid[], $2::link_status[]) AS v(id, status) WHERE l.id = v.id`,
      [moved.map((l) => l.id), moved.map((l) => l.to)],
    );
  }
  const event = await audit(m, batch.caseId, batch.actor, batch.event.action, batch.event.detail);
  if (refused.length > 0) await recordRefusal(m, batch.caseId, batch.actor, batch.event.action, refused);
  return { moved, refused, event };
}

/**
 * Locks the links and sorts them by what the workflow says of moving them to `to`, writing nothing: for a writer
 * that must know before it acts (the sweep, before it removes anything from the site).
 */
export async function checkLinks(
  m: EntityManager,
  caseId: string,
  linkIds: readonly string[],
  to: LinkStatus,
): Promise<{ allowed: LinkState[]; refused: LinkState[]; already: LinkState[] }> {
  const rows = await m.query<LinkState[]>(
    `SELECT id, url, status FROM reported_links WHERE case_id = $1 AND id = ANY($2::uuid[]) ORDER BY position, id
     FOR UPDATE`,
    [caseId, [...new Set(linkIds)]],
  );
  return {
    allowed: rows.filter((l) => l.status !== to && canMoveLink(l.status, to)),
    refused: rows.filter((l) => l.status !== to && !canMoveLink(l.status, to)),
    already: rows.filter((l) => l.status === to),
  };
}

/** The audit event of moves the workflow refused a system actor: staff see what was not done, and during what. */
export async function recordRefusal(
  m: EntityManager,
  caseId: string,
  actor: string,
  during: AuditAction,
  refused: readonly (LinkState & { to: LinkStatus })[],
): Promise<string> {
  return audit(m, caseId, actor, 'links.transition_refused', {
    during,
    links: refused.map((l) => ({ url: l.url, status: l.status, to: l.to })),
  });
}
