import { randomBytes } from 'node:crypto';
import type { ClientBase } from 'pg';
import { CaseStatus } from '../src/cases/case.entity';
import { PartyRole } from '../src/cases/party.entity';
import { hostReversedSql, LinkStatus } from '../src/cases/reported-link.entity';
import type { ChecklistResult } from '../src/checklist';
import { JobName, QueueName } from '../src/core/queue/jobs';
import { isActionable, type SortedLink } from '../src/links';
import { NoticeChannel } from '../src/cases/notice.entity';
import type { BenchNoticeBody } from './notice-fixture';

/** Everything the floor writes, computed before the clock starts so that the floor is the database alone. */
export interface FloorRows {
  status: CaseStatus;
  kind: string;
  checklistJson: string;
  structuredJson: string;
  searchTerms: string[];
  party: (string | null)[];
  auditJson: string;
  links: {
    url: string[];
    raw: string[];
    classification: string[];
    provider: (string | null)[];
    role: string[];
    status: LinkStatus[];
    position: number[];
    roleReason: (string | null)[];
    note: (string | null)[];
  };
}

/** The rows intake writes for this notice, taking its checklist and sorted links as given. */
export function floorRows(body: BenchNoticeBody, checklist: ChecklistResult, links: SortedLink[]): FloorRows {
  const actionable = (l: SortedLink) => isActionable(l.classification);
  const c = body.complainant;
  return {
    status:
      checklist.kind !== 'takedown'
        ? CaseStatus.InReview
        : checklist.complete
          ? CaseStatus.Received
          : CaseStatus.NeedsInfo,
    kind: checklist.kind,
    checklistJson: JSON.stringify(checklist),
    structuredJson: JSON.stringify(body),
    searchTerms: body.searchTerms,
    party: [PartyRole.Complainant, c.name, c.company, c.email, c.phone, c.address],
    auditJson: JSON.stringify({
      channel: NoticeChannel.Api,
      kind: checklist.kind,
      missing: checklist.missing,
      links: links.length,
    }),
    links: {
      url: links.map((l) => l.url),
      raw: links.map((l) => l.raw),
      classification: links.map((l) => l.classification),
      provider: links.map((l) => l.provider),
      role: links.map((l) => l.role),
      status: links.map((l) => (l.role === 'infringing' && actionable(l) ? LinkStatus.Pending : LinkStatus.Ignored)),
      position: links.map((_, i) => i),
      roleReason: links.map((l) => l.roleReason ?? null),
      note: links.map((l) => l.reason ?? null),
    },
  };
}

/**
 * The same rows as intake, by hand: one transaction, the links in a single `unnest` insert.
 * Returns the new case's id and the time from BEGIN to COMMIT done.
 */
export async function writeFloor(client: ClientBase, rows: FloorRows): Promise<{ caseId: string; ms: number }> {
  const token = randomBytes(24).toString('base64url');
  const l = rows.links;
  const started = performance.now();
  await client.query('BEGIN');
  try {
    const {
      rows: [created],
    } = await client.query<{ id: string }>(
      `INSERT INTO cases (reference, status, kind, status_token, checklist, search_terms)
       VALUES ('DMCA-' || to_char(now() AT TIME ZONE 'UTC', 'YYYY') || '-' || lpad(nextval('case_reference_seq')::text, 6, '0'),
               $1, $2, $3, $4, $5)
       RETURNING id`,
      [rows.status, rows.kind, token, rows.checklistJson, rows.searchTerms],
    );
    const {
      rows: [notice],
    } = await client.query<{ id: string }>(
      `INSERT INTO notices (case_id, channel, raw_text, structured, checklist, link_count)
       VALUES ($1, $2, NULL, $3, $4, $5) RETURNING id`,
      [created.id, NoticeChannel.Api, rows.structuredJson, rows.checklistJson, l.url.length],
    );
    await client.query(
      `INSERT INTO parties (case_id, role, name, company, email, phone, address) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [created.id, ...rows.party],
    );
    await client.query(
      `INSERT INTO reported_links (case_id, notice_id, url, raw, classification, provider, role, status, position,
                                   role_reason, classification_note, host_reversed)
       SELECT $1, $2, t.*, ${hostReversedSql('t.url')}
       FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::link_status[], $9::int[],
                   $10::text[], $11::text[])
         AS t(url, raw, classification, provider, role, status, position, role_reason, classification_note)`,
      [
        created.id,
        notice.id,
        l.url,
        l.raw,
        l.classification,
        l.provider,
        l.role,
        l.status,
        l.position,
        l.roleReason,
        l.note,
      ],
    );
    await client.query(
      `INSERT INTO audit_events (case_id, actor, action, detail) VALUES ($1, 'sender', 'notice.received', $2)`,
      [created.id, rows.auditJson],
    );
    await client.query(`INSERT INTO outbox (queue, name, data, job_id) VALUES ($1, $2, $3, $4)`, [
      QueueName.Cases,
      JobName.RouteCase,
      JSON.stringify({ caseId: created.id }),
      `${JobName.RouteCase}.${created.id}`,
    ]);
    await client.query('COMMIT');
    return { caseId: created.id, ms: performance.now() - started };
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
