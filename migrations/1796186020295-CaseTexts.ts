import { MigrationInterface, QueryRunner } from 'typeorm';
import { redactPersonalData } from '../src/core/privacy/redact';

/**
 * The audit detail fields that held words people wrote, and where they move: each becomes a case_texts row of the
 * event's case (its actor the author, its time the row's), and the field its id. Listed here as the code wrote them
 * before this migration, not read from AuditDetails, which describes the new shape.
 */
const MOVED: readonly { actions: readonly string[]; from: string; to: string; kind: string }[] = [
  {
    actions: [
      'case.transitioned',
      'case.transition_refused',
      'case.rejected',
      'links.rejected',
      'element.overridden',
      'link.sorting_overridden',
      'links.restored',
      'takedowns.approved',
    ],
    from: 'reason',
    to: 'reasonText',
    kind: 'reason',
  },
  { actions: ['notice.retracted'], from: 'reason', to: 'reasonText', kind: 'retraction_reason' },
  { actions: ['counter_notice.withdrawn'], from: 'reason', to: 'reasonText', kind: 'withdrawal_reason' },
  { actions: ['note.added'], from: 'text', to: 'noteText', kind: 'note' },
  { actions: ['info.requested'], from: 'message', to: 'messageText', kind: 'message' },
];

/** System messages the log keeps, with e-mail addresses and phone numbers taken out. */
const SCRUBBED: readonly { actions: readonly string[]; field: string }[] = [
  { actions: ['takedowns.failed', 'letter.failed'], field: 'error' },
  { actions: ['case.transition_refused'], field: 'refusal' },
  { actions: ['notice.retraction_received'], field: 'awaiting' },
];

const BATCH = 5000;

/**
 * Staff's notes and reasons move out of the append-only audit log into case_texts, which erasure can empty; the
 * assignee's name goes (the id stays), and system messages are scrubbed of addresses. The log's append-only
 * trigger is set aside for the rewrite only, inside this migration's transaction, and is back when it commits.
 */
export class CaseTexts1796186020295 implements MigrationInterface {
  name = 'CaseTexts1796186020295';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "case_texts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "author" text NOT NULL, "kind" text NOT NULL, "text" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "erased_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_64481a33ccb67b98221e988e2b9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_416fef6c01ab18abc14c1a7960" ON "case_texts"  ("case_id") `);
    await queryRunner.query(
      `ALTER TABLE "case_texts" ADD CONSTRAINT "FK_416fef6c01ab18abc14c1a7960e" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await this.rewriting(queryRunner, async () => {
      for (const move of MOVED) {
        // A text whose case is gone has nowhere to go (case_texts rows go with their case): it is dropped.
        await queryRunner.query(
          `WITH old AS MATERIALIZED (
             SELECT e.id, e.case_id, e.actor, e.at, e.detail->>$2 AS text,
                    CASE WHEN jsonb_typeof(e.detail->$2) = 'string' AND c.id IS NOT NULL
                         THEN gen_random_uuid() END AS text_id
             FROM audit_events e LEFT JOIN cases c ON c.id = e.case_id
             WHERE e.action = ANY($1::text[]) AND e.detail ? $2),
           moved AS (
             INSERT INTO case_texts (id, case_id, author, kind, text, created_at)
             SELECT text_id, case_id, actor, $4, text, at FROM old WHERE text_id IS NOT NULL)
           UPDATE audit_events e SET detail = (e.detail - $2) || jsonb_build_object($3::text, old.text_id)
           FROM old WHERE e.id = old.id`,
          [move.actions, move.from, move.to, move.kind],
        );
      }
      await queryRunner.query(
        `UPDATE audit_events SET detail = detail - 'toName' WHERE action = 'case.assigned' AND detail ? 'toName'`,
      );
      for (const { actions, field } of SCRUBBED) await this.scrub(queryRunner, actions, field);
    });
  }

  /** Puts the words back in the log. Erased texts come back as null; scrubbed system messages stay scrubbed. */
  public async down(queryRunner: QueryRunner): Promise<void> {
    await this.rewriting(queryRunner, async () => {
      for (const move of MOVED) {
        await queryRunner.query(
          `UPDATE audit_events e SET detail = (e.detail - $2) || jsonb_build_object($3::text, t.text)
           FROM audit_events o LEFT JOIN case_texts t ON t.id::text = o.detail->>$2
           WHERE o.id = e.id AND e.action = ANY($1::text[]) AND e.detail ? $2`,
          [move.actions, move.to, move.from],
        );
      }
      await queryRunner.query(
        `UPDATE audit_events e SET detail = e.detail || jsonb_build_object('toName', u.name)
         FROM audit_events o LEFT JOIN staff_users u ON u.id::text = o.detail->>'to'
         WHERE o.id = e.id AND e.action = 'case.assigned' AND NOT (e.detail ? 'toName')`,
      );
    });
    await queryRunner.query(`ALTER TABLE "case_texts" DROP CONSTRAINT "FK_416fef6c01ab18abc14c1a7960e"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_416fef6c01ab18abc14c1a7960"`);
    await queryRunner.query(`DROP TABLE "case_texts"`);
  }

  /**
   * Runs `work` with the audit log's append-only trigger off. Inside the migration's transaction a failure rolls the
   * switch back with the rest; outside one (migrations run without a transaction), the trigger is turned back on.
   */
  private async rewriting(queryRunner: QueryRunner, work: () => Promise<void>): Promise<void> {
    const enable = `ALTER TABLE "audit_events" ENABLE TRIGGER audit_events_append_only`;
    await queryRunner.query(`ALTER TABLE "audit_events" DISABLE TRIGGER audit_events_append_only`);
    try {
      await work();
    } catch (error) {
      // In an aborted transaction this fails too, and the rollback restores the trigger: the first error is the one.
      await queryRunner.query(enable).catch(() => undefined);
      throw error;
    }
    await queryRunner.query(enable);
  }

  /** Scrubs one system-message field, in batches by id; only rows whose text changes are written. */
  private async scrub(queryRunner: QueryRunner, actions: readonly string[], field: string): Promise<void> {
    let after = '0';
    for (;;) {
      const rows = (await queryRunner.query(
        `SELECT id::text, detail->>$2 AS text FROM audit_events
         WHERE action = ANY($1::text[]) AND jsonb_typeof(detail->$2) = 'string' AND id > $3::bigint
         ORDER BY id LIMIT $4`,
        [actions, field, after, BATCH],
      )) as { id: string; text: string }[];
      if (rows.length === 0) return;
      after = rows[rows.length - 1].id;
      const changed = rows
        .map((r) => ({ id: r.id, text: redactPersonalData(r.text) }))
        .filter((r, i) => r.text !== rows[i].text);
      if (changed.length === 0) continue;
      await queryRunner.query(
        `UPDATE audit_events e SET detail = e.detail || jsonb_build_object($1::text, v.text)
         FROM unnest($2::bigint[], $3::text[]) AS v(id, text) WHERE e.id = v.id`,
        [field, changed.map((r) => r.id), changed.map((r) => r.text)],
      );
    }
  }
}
