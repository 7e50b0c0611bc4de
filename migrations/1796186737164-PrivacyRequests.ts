import { MigrationInterface, QueryRunner } from 'typeorm';

/** Requests from the people the data is about (access, erasure, a minor's), and their append-only event log. */
export class PrivacyRequests1796186737164 implements MigrationInterface {
  name = 'PrivacyRequests1796186737164';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."privacy_request_kind" AS ENUM('access', 'erasure')`);
    await queryRunner.query(
      `CREATE TYPE "public"."privacy_request_status" AS ENUM('received', 'confirmed', 'suppressed', 'done', 'partially_retained', 'rejected')`,
    );
    await queryRunner.query(`CREATE TYPE "public"."privacy_request_channel" AS ENUM('form', 'staff')`);
    await queryRunner.query(
      `CREATE TABLE "privacy_requests" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" "public"."privacy_request_kind" NOT NULL, "minor" boolean NOT NULL DEFAULT false, "status" "public"."privacy_request_status" NOT NULL, "channel" "public"."privacy_request_channel" NOT NULL, "email" text NOT NULL, "email_hash" text NOT NULL, "requester_email" text, "details" text, "confirm_token_hash" text, "confirmed_at" TIMESTAMP WITH TIME ZONE, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "decided_by" text, "decided_at" TIMESTAMP WITH TIME ZONE, "decision_reason" text, "outcome" jsonb, "reply_to" text, "export_expires_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_fbdea00fb2fcf274bf0d2ddf2c2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_20eecaa91b3dc77cfdb38fc113" ON "privacy_requests"  ("email_hash") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_d91bde3a7abcb6de2510210ab5" ON "privacy_requests"  ("confirm_token_hash") `,
    );
    await queryRunner.query(
      `CREATE INDEX "privacy_requests_open" ON "privacy_requests"  ("due_at") WHERE status IN ('received', 'confirmed', 'suppressed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "privacy_request_events" ("id" BIGSERIAL NOT NULL, "request_id" uuid NOT NULL, "actor" text NOT NULL, "action" text NOT NULL, "detail" jsonb NOT NULL DEFAULT '{}', "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1b14983505c767cdce552881c86" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_a544775953c286171ef068d24b" ON "privacy_request_events"  ("request_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "privacy_request_events" ADD CONSTRAINT "FK_a544775953c286171ef068d24b9" FOREIGN KEY ("request_id") REFERENCES "privacy_requests"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // By hand: append-only like audit_events, with the same trigger function.
    await queryRunner.query(`CREATE TRIGGER privacy_request_events_append_only BEFORE UPDATE OR DELETE ON "privacy_request_events"
            FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await queryRunner.query(`CREATE TRIGGER privacy_request_events_no_truncate BEFORE TRUNCATE ON "privacy_request_events"
            FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER privacy_request_events_no_truncate ON "privacy_request_events"`);
    await queryRunner.query(`DROP TRIGGER privacy_request_events_append_only ON "privacy_request_events"`);
    await queryRunner.query(`ALTER TABLE "privacy_request_events" DROP CONSTRAINT "FK_a544775953c286171ef068d24b9"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a544775953c286171ef068d24b"`);
    await queryRunner.query(`DROP TABLE "privacy_request_events"`);
    await queryRunner.query(`DROP INDEX "public"."privacy_requests_open"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d91bde3a7abcb6de2510210ab5"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_20eecaa91b3dc77cfdb38fc113"`);
    await queryRunner.query(`DROP TABLE "privacy_requests"`);
    await queryRunner.query(`DROP TYPE "public"."privacy_request_channel"`);
    await queryRunner.query(`DROP TYPE "public"."privacy_request_status"`);
    await queryRunner.query(`DROP TYPE "public"."privacy_request_kind"`);
  }
}
