import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOSED_STATUSES, type ClosedCase, type TableCategory } from './retention';
import type { RetentionRun } from './retention-run.entity';

/** Rows removed per statement, so that no run holds a long transaction or a large lock. */
export const RETENTION_BATCH = 1000;

/**
 * Each deployment-wide table, its key, and which of its rows are due ($1: the cutoff). login_attempts keys are HMACs
 * of addresses and accounts (the login throttle already prunes a counter a day quiet, but only when someone fails
 * to sign in); account_events are the append-only account log and hold no client address, so they stay.
 */
const TABLES: Record<TableCategory, { table: string; key: string; due: string }> = {
  idempotencyKeys: { table: 'idempotency_keys', key: 'key', due: 'created_at < $1' },
  outbox: { table: 'outbox', key: 'id', due: 'dispatched_at < $1' },
  sessions: { table: 'staff_sessions', key: 'id', due: 'expires_at < $1' },
  loginAttempts: { table: 'login_attempts', key: 'key', due: 'updated_at < $1 AND next_allowed_at < $1' },
};

/**
 * Mail with no case (quarantined, ignored, a duplicate) whose raw message is still stored, received before $1. Mail
 * still waiting to be parsed is never due.
 */
const UNOWNED_MAIL = `m.case_id IS NULL AND m.status IN ('quarantined', 'ignored', 'duplicate')
  AND m.raw_removed_at IS NULL AND m.received_at < $1`;
/** The evidence files of such mail (an evidence file of a case goes with its case). */
const UNOWNED_EVIDENCE = `e.case_id IS NULL AND e.inbound_message_id IN (SELECT m.id FROM inbound_messages m WHERE ${UNOWNED_MAIL})`;
/** A case's evidence files ($1: the case). */
const CASE_EVIDENCE = `e.case_id = $1 OR e.inbound_message_id IN (SELECT m.id FROM inbound_messages m WHERE m.case_id = $1)`;

/**
 * The SQL of retention: what is due, counted (the dry run) and removed in batches (the real run) with the same
 * conditions, so that the two agree. Case-by-case decisions (holds, what is due) are retention.ts's.
 */
@Injectable()
export class RetentionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Closed cases, closed before `before`, with something left to remove: raw mail or evidence files still stored, or
   * personal data not yet erased. A case counts as closed from the latest case.transitioned event into its current
   * status (the one door writes one for every move), so a case reopened and closed again counts from the last close.
   * `only`: just these cases (a run re-reads each case it locked).
   */
  closedCases(before: Date, only?: string[], m: EntityManager = this.dataSource.manager): Promise<ClosedCase[]> {
    return m.query<ClosedCase[]>(
      `SELECT c.id, c.reference, k.closed_at AS "closedAt",
              c.personal_data_erased_at IS NOT NULL AS "personalDataErased",
              (SELECT count(*)::int FROM inbound_messages m
               WHERE m.case_id = c.id AND m.raw_removed_at IS NULL) AS "rawMail",
              (SELECT count(*)::int FROM evidence_files e
               WHERE e.case_id = c.id
                  OR e.inbound_message_id IN (SELECT m.id FROM inbound_messages m WHERE m.case_id = c.id)) AS "evidenceFiles",
              COALESCE((SELECT array_agg(DISTINCT h.kind::text) FROM legal_holds h
                        WHERE h.case_id = c.id AND h.released_at IS NULL), '{}'::text[]) AS holds
       FROM cases c
       CROSS JOIN LATERAL (SELECT max(a.at) AS closed_at FROM audit_events a
                           WHERE a.case_id = c.id AND a.action = 'case.transitioned'
                             AND a.detail->>'to' = c.status::text) k
       WHERE c.status = ANY($1::case_status[]) AND k.closed_at < $2
         AND ($3::uuid[] IS NULL OR c.id = ANY($3::uuid[]))
         AND (c.personal_data_erased_at IS NULL
              OR EXISTS (SELECT 1 FROM inbound_messages m WHERE m.case_id = c.id AND m.raw_removed_at IS NULL)
              OR EXISTS (SELECT 1 FROM evidence_files e
                         WHERE e.case_id = c.id
                            OR e.inbound_message_id IN (SELECT m.id FROM inbound_messages m WHERE m.case_id = c.id)))
       ORDER BY k.closed_at, c.id`,
      [CLOSED_STATUSES, before, only ?? null],
    );
  }

  /** Locks a case row for one case's removal; false when it is gone. */
  async lockCase(m: EntityManager, caseId: string): Promise<boolean> {
    const rows = await m.query<{ id: string }[]>(`SELECT id FROM cases WHERE id = $1 FOR UPDATE`, [caseId]);
    return rows.length > 0;
  }

  /** Deletes a case's evidence files and empties its stored raw mail: how many of each. */
  async removeCaseMail(
    m: EntityManager,
    caseId: string,
    at: Date,
  ): Promise<{ rawMail: number; evidenceFiles: number }> {
    const [files] = await m.query<{ n: number }[]>(
      `WITH d AS (DELETE FROM evidence_files e WHERE ${CASE_EVIDENCE} RETURNING 1) SELECT count(*)::int AS n FROM d`,
      [caseId],
    );
    const [mail] = await m.query<{ n: number }[]>(
      `WITH u AS (UPDATE inbound_messages SET raw = ''::bytea, raw_removed_at = $2
                  WHERE case_id = $1 AND raw_removed_at IS NULL RETURNING 1)
       SELECT count(*)::int AS n FROM u`,
      [caseId, at],
    );
    return { rawMail: mail.n, evidenceFiles: files.n };
  }

  async markPersonalDataErased(m: EntityManager, caseId: string, at: Date): Promise<void> {
    await m.query(`UPDATE cases SET personal_data_erased_at = $2 WHERE id = $1`, [caseId, at]);
  }

  /** Mail with no case due (see UNOWNED_MAIL), and its evidence files. */
  async countUnownedMail(before: Date): Promise<{ rawMail: number; evidenceFiles: number }> {
    const [row] = await this.dataSource.query<{ rawMail: number; evidenceFiles: number }[]>(
      `SELECT (SELECT count(*)::int FROM inbound_messages m WHERE ${UNOWNED_MAIL}) AS "rawMail",
              (SELECT count(*)::int FROM evidence_files e WHERE ${UNOWNED_EVIDENCE}) AS "evidenceFiles"`,
      [before],
    );
    return row;
  }

  /** Empties the raw message of due mail with no case and deletes its evidence files, a batch per statement. */
  async removeUnownedMail(before: Date, at: Date): Promise<{ rawMail: number; evidenceFiles: number }> {
    const total = { rawMail: 0, evidenceFiles: 0 };
    for (;;) {
      const [row] = await this.dataSource.query<{ rawMail: number; evidenceFiles: number }[]>(
        `WITH due AS (SELECT m.id FROM inbound_messages m WHERE ${UNOWNED_MAIL}
                      ORDER BY m.received_at, m.id LIMIT $3 FOR UPDATE),
              ev AS (DELETE FROM evidence_files e USING due
                     WHERE e.inbound_message_id = due.id AND e.case_id IS NULL RETURNING 1),
              msg AS (UPDATE inbound_messages m SET raw = ''::bytea, raw_removed_at = $2
                      FROM due WHERE m.id = due.id RETURNING 1)
         SELECT (SELECT count(*)::int FROM msg) AS "rawMail", (SELECT count(*)::int FROM ev) AS "evidenceFiles"`,
        [before, at, RETENTION_BATCH],
      );
      total.rawMail += row.rawMail;
      total.evidenceFiles += row.evidenceFiles;
      if (row.rawMail < RETENTION_BATCH) return total;
    }
  }

  async countTable(category: TableCategory, before: Date): Promise<number> {
    const { table, due } = TABLES[category];
    const [row] = await this.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table} WHERE ${due}`, [
      before,
    ]);
    return row.n;
  }

  async removeFromTable(category: TableCategory, before: Date): Promise<number> {
    const { table, key, due } = TABLES[category];
    let total = 0;
    for (;;) {
      const [row] = await this.dataSource.query<{ n: number }[]>(
        `WITH d AS (DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE ${due} LIMIT $2)
                    RETURNING 1)
         SELECT count(*)::int AS n FROM d`,
        [before, RETENTION_BATCH],
      );
      total += row.n;
      if (row.n < RETENTION_BATCH) return total;
    }
  }

  async recordRun(m: EntityManager, run: RetentionRun): Promise<void> {
    await m.query(
      `INSERT INTO retention_runs (id, actor, started_at, finished_at, counts) VALUES ($1, $2, $3, $4, $5)`,
      [run.id, run.actor, run.startedAt, run.finishedAt, JSON.stringify(run.counts)],
    );
  }

  /** The latest real run, for the admin page. */
  async lastRun(): Promise<RetentionRun | null> {
    const [row] = await this.dataSource.query<RetentionRun[]>(
      `SELECT id, actor, started_at AS "startedAt", finished_at AS "finishedAt", counts
       FROM retention_runs ORDER BY finished_at DESC LIMIT 1`,
    );
    return row ?? null;
  }
}
