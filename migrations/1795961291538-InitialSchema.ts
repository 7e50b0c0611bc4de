import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795961291538 implements MigrationInterface {
  name = 'InitialSchema1795961291538';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Case references (DMCA-2026-000042) count from this sequence; TypeORM does not model it, so it is written by hand.
    await queryRunner.query(`CREATE SEQUENCE "case_reference_seq" START 1`);
    await queryRunner.query(
      `CREATE TABLE "audit_events" ("id" BIGSERIAL NOT NULL, "case_id" uuid NOT NULL, "actor" text NOT NULL, "action" text NOT NULL, "detail" jsonb NOT NULL DEFAULT '{}', "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_e453caa7e082229f8405efc923" ON "audit_events"  ("case_id") `);
    await queryRunner.query(
      `CREATE TYPE "public"."case_status" AS ENUM('received', 'needs_info', 'in_review', 'actioned', 'closed', 'rejected', 'withdrawn')`,
    );
    await queryRunner.query(
      `CREATE TABLE "cases" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "reference" text NOT NULL, "status" "public"."case_status" NOT NULL, "kind" text NOT NULL, "status_token" text NOT NULL, "checklist" jsonb NOT NULL, "search_terms" text array NOT NULL DEFAULT '{}', "search_matches" jsonb NOT NULL DEFAULT '[]', "routed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_264acb3048c240fb89aa34626db" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_54644dc5f4b6350d047ab0ce40" ON "cases"  ("reference") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_6aa167557ddd1dc37b2772b3de" ON "cases"  ("status_token") `);
    await queryRunner.query(`CREATE TYPE "public"."party_role" AS ENUM('complainant', 'owner', 'uploader')`);
    await queryRunner.query(
      `CREATE TABLE "parties" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "role" "public"."party_role" NOT NULL, "name" text, "company" text, "email" text, "phone" text, "address" text, CONSTRAINT "PK_da698299dca60d55f0050dde935" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_2c883eabd59d0925604f23f48d" ON "parties"  ("case_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_b731e228a14da5e11fe6632125" ON "parties"  ("email") `);
    await queryRunner.query(`CREATE TYPE "public"."notice_channel" AS ENUM('api', 'form', 'email')`);
    await queryRunner.query(
      `CREATE TABLE "notices" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "channel" "public"."notice_channel" NOT NULL, "raw_text" text, "structured" jsonb, "checklist" jsonb NOT NULL, "link_count" integer NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3eb18c29da25d6935fcbe584237" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_083cffe29a99a2171c3505f324" ON "notices"  ("case_id") `);
    await queryRunner.query(
      `CREATE TYPE "public"."link_status" AS ENUM('pending', 'approved', 'taken_down', 'referred', 'rejected', 'restored', 'not_found', 'ignored')`,
    );
    await queryRunner.query(
      `CREATE TABLE "reported_links" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "notice_id" uuid NOT NULL, "url" text NOT NULL, "raw" text NOT NULL, "classification" text NOT NULL, "provider" text, "role" text NOT NULL, "status" "public"."link_status" NOT NULL DEFAULT 'pending', "position" integer NOT NULL, CONSTRAINT "PK_bd0884b2eb182548d62065e2110" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_582b35d67407cc204a81f600d6" ON "reported_links"  ("notice_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_db72322f3068f585ea79667294" ON "reported_links"  ("provider") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_f6d85bda498964583ee8e2debd" ON "reported_links"  ("case_id", "url") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."letter_kind" AS ENUM('receipt', 'deficiency', 'referral', 'takedown_done', 'uploader')`,
    );
    await queryRunner.query(`CREATE TYPE "public"."letter_status" AS ENUM('queued', 'sent', 'failed')`);
    await queryRunner.query(
      `CREATE TABLE "letters" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "kind" "public"."letter_kind" NOT NULL, "dedupe_key" text NOT NULL, "recipient" text, "subject" text NOT NULL, "text" text NOT NULL, "html" text NOT NULL, "status" "public"."letter_status" NOT NULL DEFAULT 'queued', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "sent_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_bf70c41d26aa84cf2651d571889" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_6d8822148277ae7dcafc0f4e11" ON "letters"  ("case_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_f181851aff868846a5704ea1cc" ON "letters"  ("dedupe_key") `);
    await queryRunner.query(
      `CREATE TABLE "idempotency_keys" ("key" text NOT NULL, "request_hash" text NOT NULL, "case_id" uuid, "response_status" integer, "response_body" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0afd83cbf08c9d12089a9bffc5e" PRIMARY KEY ("key"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "software_pages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "slug" text NOT NULL, "title" text NOT NULL, "description" text NOT NULL DEFAULT '', "uploader_email" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1b0839d2a24dec962d8f70701f5" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_17060e1ee90e8d5eb99f513d28" ON "software_pages"  ("slug") `);
    await queryRunner.query(`CREATE TYPE "public"."download_link_status" AS ENUM('live', 'taken_down')`);
    await queryRunner.query(
      `CREATE TABLE "download_links" ("id" BIGSERIAL NOT NULL, "page_id" uuid NOT NULL, "label" text NOT NULL DEFAULT '', "target_url" text NOT NULL, "target_url_normalized" text NOT NULL, "status" "public"."download_link_status" NOT NULL DEFAULT 'live', "taken_down_case" text, "taken_down_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_d7faf2620babb1adb81d2075e36" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_29578ad1e285d2e6bcd31720e3" ON "download_links"  ("page_id") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_a51d34529e8e35ac79447025fe" ON "download_links"  ("target_url_normalized") `,
    );
    await queryRunner.query(
      `CREATE TABLE "referrals" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "provider" text NOT NULL, "link_count" integer NOT NULL, "channel" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ea9980e34f738b6252817326c08" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_e8578b981fd18aa27c576e3e9d" ON "referrals"  ("case_id", "provider") `,
    );
    await queryRunner.query(`CREATE TYPE "public"."takedown_reason" AS ENUM('reported', 'outbound_link')`);
    await queryRunner.query(
      `CREATE TYPE "public"."takedown_status" AS ENUM('awaiting_approval', 'pending', 'done', 'not_found', 'failed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "takedowns" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "reported_link_id" uuid NOT NULL, "site_ref" text NOT NULL, "reason" "public"."takedown_reason" NOT NULL, "status" "public"."takedown_status" NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE, "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "done_at" TIMESTAMP WITH TIME ZONE, "verified_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b94c9f894b7c1cf3c4dda882163" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_a300e5a5ac10c5d9cd08f667ad" ON "takedowns"  ("case_id") `);
    await queryRunner.query(`CREATE INDEX "takedowns_due" ON "takedowns"  ("due_at") WHERE status = 'pending'`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_652352a79bdbf9b0d269192934" ON "takedowns"  ("reported_link_id", "site_ref") `,
    );
    await queryRunner.query(
      `CREATE TABLE "outbox" ("id" BIGSERIAL NOT NULL, "queue" text NOT NULL, "name" text NOT NULL, "data" jsonb NOT NULL, "job_id" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "dispatched_at" TIMESTAMP WITH TIME ZONE, "attempts" integer NOT NULL DEFAULT '0', "last_error" text, CONSTRAINT "PK_340ab539f309f03bdaa14aa7649" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "outbox_undispatched" ON "outbox"  ("id") WHERE dispatched_at IS NULL`);
    await queryRunner.query(
      `ALTER TABLE "parties" ADD CONSTRAINT "FK_2c883eabd59d0925604f23f48d9" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "notices" ADD CONSTRAINT "FK_083cffe29a99a2171c3505f324a" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "reported_links" ADD CONSTRAINT "FK_aabbda865d449a54611ac159076" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "reported_links" ADD CONSTRAINT "FK_582b35d67407cc204a81f600d6e" FOREIGN KEY ("notice_id") REFERENCES "notices"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "letters" ADD CONSTRAINT "FK_6d8822148277ae7dcafc0f4e11c" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "download_links" ADD CONSTRAINT "FK_29578ad1e285d2e6bcd31720e3b" FOREIGN KEY ("page_id") REFERENCES "software_pages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "referrals" ADD CONSTRAINT "FK_68ab334842810ff933271725799" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "takedowns" ADD CONSTRAINT "FK_a300e5a5ac10c5d9cd08f667ad0" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "takedowns" ADD CONSTRAINT "FK_e9765062e22a3cabc294ddfbeaa" FOREIGN KEY ("reported_link_id") REFERENCES "reported_links"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "takedowns" DROP CONSTRAINT "FK_e9765062e22a3cabc294ddfbeaa"`);
    await queryRunner.query(`ALTER TABLE "takedowns" DROP CONSTRAINT "FK_a300e5a5ac10c5d9cd08f667ad0"`);
    await queryRunner.query(`ALTER TABLE "referrals" DROP CONSTRAINT "FK_68ab334842810ff933271725799"`);
    await queryRunner.query(`ALTER TABLE "download_links" DROP CONSTRAINT "FK_29578ad1e285d2e6bcd31720e3b"`);
    await queryRunner.query(`ALTER TABLE "letters" DROP CONSTRAINT "FK_6d8822148277ae7dcafc0f4e11c"`);
    await queryRunner.query(`ALTER TABLE "reported_links" DROP CONSTRAINT "FK_582b35d67407cc204a81f600d6e"`);
    await queryRunner.query(`ALTER TABLE "reported_links" DROP CONSTRAINT "FK_aabbda865d449a54611ac159076"`);
    await queryRunner.query(`ALTER TABLE "notices" DROP CONSTRAINT "FK_083cffe29a99a2171c3505f324a"`);
    await queryRunner.query(`ALTER TABLE "parties" DROP CONSTRAINT "FK_2c883eabd59d0925604f23f48d9"`);
    await queryRunner.query(`DROP INDEX "public"."outbox_undispatched"`);
    await queryRunner.query(`DROP TABLE "outbox"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_652352a79bdbf9b0d269192934"`);
    await queryRunner.query(`DROP INDEX "public"."takedowns_due"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a300e5a5ac10c5d9cd08f667ad"`);
    await queryRunner.query(`DROP TABLE "takedowns"`);
    await queryRunner.query(`DROP TYPE "public"."takedown_status"`);
    await queryRunner.query(`DROP TYPE "public"."takedown_reason"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e8578b981fd18aa27c576e3e9d"`);
    await queryRunner.query(`DROP TABLE "referrals"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a51d34529e8e35ac79447025fe"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_29578ad1e285d2e6bcd31720e3"`);
    await queryRunner.query(`DROP TABLE "download_links"`);
    await queryRunner.query(`DROP TYPE "public"."download_link_status"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_17060e1ee90e8d5eb99f513d28"`);
    await queryRunner.query(`DROP TABLE "software_pages"`);
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f181851aff868846a5704ea1cc"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6d8822148277ae7dcafc0f4e11"`);
    await queryRunner.query(`DROP TABLE "letters"`);
    await queryRunner.query(`DROP TYPE "public"."letter_status"`);
    await queryRunner.query(`DROP TYPE "public"."letter_kind"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f6d85bda498964583ee8e2debd"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_db72322f3068f585ea79667294"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_582b35d67407cc204a81f600d6"`);
    await queryRunner.query(`DROP TABLE "reported_links"`);
    await queryRunner.query(`DROP TYPE "public"."link_status"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_083cffe29a99a2171c3505f324"`);
    await queryRunner.query(`DROP TABLE "notices"`);
    await queryRunner.query(`DROP TYPE "public"."notice_channel"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b731e228a14da5e11fe6632125"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2c883eabd59d0925604f23f48d"`);
    await queryRunner.query(`DROP TABLE "parties"`);
    await queryRunner.query(`DROP TYPE "public"."party_role"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6aa167557ddd1dc37b2772b3de"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_54644dc5f4b6350d047ab0ce40"`);
    await queryRunner.query(`DROP TABLE "cases"`);
    await queryRunner.query(`DROP TYPE "public"."case_status"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e453caa7e082229f8405efc923"`);
    await queryRunner.query(`DROP TABLE "audit_events"`);
    await queryRunner.query(`DROP SEQUENCE "case_reference_seq"`);
  }
}
