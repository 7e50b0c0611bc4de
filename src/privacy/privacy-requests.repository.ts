import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Locale } from '../core/i18n/locales';
import type { PrivacyRequestAction, PrivacyRequestEventDetails } from './privacy-request-workflow';
import { OPEN_STATUSES } from './privacy-request-workflow';
import {
  type PrivacyRequestChannel,
  type PrivacyRequestKind,
  type PrivacyRequestOutcome,
  PrivacyRequestStatus,
} from './privacy-request.entity';

/** A request's row as stored: addresses and words still sealed. */
export interface PrivacyRequestRow {
  id: string;
  kind: PrivacyRequestKind;
  minor: boolean;
  status: PrivacyRequestStatus;
  channel: PrivacyRequestChannel;
  email: string;
  email_hash: string;
  requester_email: string | null;
  details: string | null;
  language: Locale;
  confirm_token_hash: string | null;
  confirmed_at: Date | null;
  received_at: Date;
  due_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  decision_reason: string | null;
  outcome: PrivacyRequestOutcome | null;
  reply_to: string | null;
  export_expires_at: Date | null;
}

export type NewPrivacyRequest = Pick<
  PrivacyRequestRow,
  | 'id'
  | 'kind'
  | 'minor'
  | 'status'
  | 'channel'
  | 'email'
  | 'email_hash'
  | 'requester_email'
  | 'details'
  | 'language'
  | 'confirm_token_hash'
> & {
  /** due_at is this many hours after receipt, by the database's clock (received_at's). */
  dueHours: number;
};

/** The columns a step may change; the rest are written once, on receipt. */
export type PrivacyRequestChange = Partial<
  Pick<
    PrivacyRequestRow,
    | 'status'
    | 'confirmed_at'
    | 'decided_by'
    | 'decided_at'
    | 'decision_reason'
    | 'outcome'
    | 'reply_to'
    | 'export_expires_at'
  >
>;

export interface PrivacyRequestEventRow {
  id: string;
  actor: string;
  action: PrivacyRequestAction;
  detail: Record<string, unknown>;
  at: Date;
}

export type QueueScope = 'open' | 'settled' | 'all';

const COLUMNS = `id, kind, minor, status, channel, email, email_hash, requester_email, details, language,
  confirm_token_hash, confirmed_at, received_at, due_at, decided_by, decided_at, decision_reason, outcome, reply_to, export_expires_at`;

const CHANGEABLE: readonly (keyof PrivacyRequestChange)[] = [
  'status',
  'confirmed_at',
  'decided_by',
  'decided_at',
  'decision_reason',
  'outcome',
  'reply_to',
  'export_expires_at',
];

/** The SQL of privacy requests and their event log, in one place. */
@Injectable()
export class PrivacyRequestsRepository {
  async insert(m: EntityManager, row: NewPrivacyRequest): Promise<PrivacyRequestRow> {
    const [created] = await m.query<PrivacyRequestRow[]>(
      `INSERT INTO privacy_requests (id, kind, minor, status, channel, email, email_hash, requester_email, details,
                                     language, confirm_token_hash, due_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now() + make_interval(hours => $12)) RETURNING ${COLUMNS}`,
      [
        row.id,
        row.kind,
        row.minor,
        row.status,
        row.channel,
        row.email,
        row.email_hash,
        row.requester_email,
        row.details,
        row.language,
        row.confirm_token_hash,
        row.dueHours,
      ],
    );
    return created;
  }

  async get(m: EntityManager, id: string, lock = false): Promise<PrivacyRequestRow | undefined> {
    const [row] = await m.query<PrivacyRequestRow[]>(
      `SELECT ${COLUMNS} FROM privacy_requests WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return row;
  }

  /** The request a confirmation token is for, locked, and whether its link has expired (by the database's clock). */
  async byConfirmTokenHash(
    m: EntityManager,
    hash: string,
    linkHours: number,
  ): Promise<(PrivacyRequestRow & { expired: boolean }) | undefined> {
    const [row] = await m.query<(PrivacyRequestRow & { expired: boolean })[]>(
      `SELECT ${COLUMNS}, received_at <= now() - make_interval(hours => $2) AS expired
       FROM privacy_requests WHERE confirm_token_hash = $1 FOR UPDATE`,
      [hash, linkHours],
    );
    return row;
  }

  /** An open request from the form for the same address and kind whose confirmation link is still live. */
  async liveUnconfirmed(
    m: EntityManager,
    emailHash: string,
    kind: PrivacyRequestKind,
    linkHours: number,
  ): Promise<PrivacyRequestRow | undefined> {
    const [row] = await m.query<PrivacyRequestRow[]>(
      `SELECT ${COLUMNS} FROM privacy_requests
       WHERE email_hash = $1 AND kind = $2 AND NOT minor AND channel = 'form' AND status = 'received'
         AND confirmed_at IS NULL AND received_at > now() - make_interval(hours => $3)
       ORDER BY received_at DESC LIMIT 1 FOR UPDATE`,
      [emailHash, kind, linkHours],
    );
    return row;
  }

  async update(m: EntityManager, id: string, change: PrivacyRequestChange): Promise<PrivacyRequestRow> {
    const keys = CHANGEABLE.filter((k) => k in change);
    const sets = keys.map((k, i) => `${k} = $${i + 2}`);
    const values = keys.map((k) => (k === 'outcome' ? JSON.stringify(change[k]) : change[k]));
    const [row] = await m.query<PrivacyRequestRow[]>(
      `WITH changed AS (UPDATE privacy_requests SET ${sets.join(', ')} WHERE id = $1 RETURNING *)
       SELECT ${COLUMNS} FROM changed`,
      [id, ...values],
    );
    return row;
  }

  /** Appends one step to the request's event log; returns the event's id. */
  async event<A extends PrivacyRequestAction>(
    m: EntityManager,
    requestId: string,
    actor: string,
    action: A,
    detail: PrivacyRequestEventDetails[A],
  ): Promise<string> {
    const [row] = await m.query<{ id: string }[]>(
      `INSERT INTO privacy_request_events (request_id, actor, action, detail) VALUES ($1, $2, $3, $4) RETURNING id`,
      [requestId, actor, action, JSON.stringify(detail)],
    );
    return row.id;
  }

  events(m: EntityManager, requestId: string): Promise<PrivacyRequestEventRow[]> {
    return m.query<PrivacyRequestEventRow[]>(
      `SELECT id, actor, action, detail, at FROM privacy_request_events WHERE request_id = $1 ORDER BY id`,
      [requestId],
    );
  }

  /** The queue: open requests by deadline (settled ones newest first), without their sealed columns. */
  list(
    m: EntityManager,
    scope: QueueScope,
    limit: number,
  ): Promise<
    Pick<
      PrivacyRequestRow,
      'id' | 'kind' | 'minor' | 'status' | 'channel' | 'confirmed_at' | 'received_at' | 'due_at' | 'decided_at'
    >[]
  > {
    const open = OPEN_STATUSES as readonly string[];
    const settled = Object.values(PrivacyRequestStatus).filter((s) => !open.includes(s));
    const statuses = scope === 'open' ? open : scope === 'settled' ? settled : [...open, ...settled];
    return m.query(
      `SELECT id, kind, minor, status, channel, confirmed_at, received_at, due_at, decided_at
       FROM privacy_requests WHERE status = ANY($1::privacy_request_status[])
       ORDER BY CASE WHEN status = ANY($2::privacy_request_status[]) THEN 0 ELSE 1 END,
                CASE WHEN status = ANY($2::privacy_request_status[]) THEN due_at END ASC,
                received_at DESC
       LIMIT $3`,
      [statuses, open, limit],
    );
  }
}
