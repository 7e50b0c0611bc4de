import { MigrationInterface, QueryRunner } from 'typeorm';

export class TriageWorkflow1796064044116 implements MigrationInterface {
  name = 'TriageWorkflow1796064044116';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "agencies" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "contact_email" text NOT NULL, "key_hash" text NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_8ab1f1f53f56c8255b0d7e68b28" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_93302f733dff775aa1ed30526a" ON "agencies"  ("key_hash") `);
    await queryRunner.query(
      `CREATE TABLE "reason_templates" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "title" text NOT NULL, "body" text NOT NULL, "archived_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d6b711744600b3ad9de222dba09" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_9d96bd105934ab93d42cd4e015" ON "reason_templates"  ("title") `);
    await queryRunner.query(`ALTER TABLE "cases" ADD "assignee_id" uuid`);
    await queryRunner.query(`ALTER TABLE "cases" ADD "agency_id" uuid`);
    await queryRunner.query(`ALTER TABLE "cases" ADD "ack_due_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "cases" ADD "action_due_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "cases" ADD "acknowledged_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "cases" ADD "element_overrides" jsonb NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "reported_links" ADD "sorting_override" jsonb`);
    await queryRunner.query(`ALTER TYPE "public"."letter_kind" ADD VALUE 'rejection'`);
    await queryRunner.query(`CREATE INDEX "IDX_1e03d7426e634bc22f7241ebfb" ON "cases"  ("assignee_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_81d4e8bec9df0e2854e26ca7d7" ON "cases"  ("agency_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_1841ef4aa62bbbc2c73898ac13" ON "cases"  ("action_due_at") `);
    await queryRunner.query(
      `ALTER TABLE "cases" ADD CONSTRAINT "FK_1e03d7426e634bc22f7241ebfba" FOREIGN KEY ("assignee_id") REFERENCES "staff_users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "cases" ADD CONSTRAINT "FK_81d4e8bec9df0e2854e26ca7d7b" FOREIGN KEY ("agency_id") REFERENCES "agencies"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    // Written by hand: the audit log is append-only in the database itself, not only by the product's habit.
    await queryRunner.query(`CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
            END $$`);
    await queryRunner.query(`CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON "audit_events"
            FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await queryRunner.query(`CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON "audit_events"
            FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
    // The reasons staff start with; they edit them in the staff UI.
    await queryRunner.query(`INSERT INTO "reason_templates" ("title", "body") VALUES
            ('Not on our site', 'The links in your notice do not point to pages or files on our site, so there is nothing for us to remove. If the material is hosted elsewhere, please contact that host.'),
            ('Not a copyright claim', 'Your message does not claim that a copyrighted work of yours is infringed. We act under this process only on copyright notices; for other concerns please use our contact page.'),
            ('Authorised or licensed use', 'The material you reported is distributed with the permission of the copyright owner, or under a licence that allows it, so we will not remove it.'),
            ('Duplicate notice', 'This notice repeats one we have already received and acted on. Please refer to your earlier case for its status.')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_events_no_truncate ON "audit_events"`);
    await queryRunner.query(`DROP TRIGGER audit_events_append_only ON "audit_events"`);
    await queryRunner.query(`DROP FUNCTION audit_events_append_only()`);
    await queryRunner.query(`ALTER TABLE "cases" DROP CONSTRAINT "FK_81d4e8bec9df0e2854e26ca7d7b"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP CONSTRAINT "FK_1e03d7426e634bc22f7241ebfba"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_1841ef4aa62bbbc2c73898ac13"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_81d4e8bec9df0e2854e26ca7d7"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_1e03d7426e634bc22f7241ebfb"`);
    await queryRunner.query(
      `CREATE TYPE "public"."letter_kind_old" AS ENUM('receipt', 'deficiency', 'referral', 'takedown_done', 'uploader')`,
    );
    await queryRunner.query(
      `ALTER TABLE "letters" ALTER COLUMN "kind" TYPE "public"."letter_kind_old" USING "kind"::"text"::"public"."letter_kind_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."letter_kind"`);
    await queryRunner.query(`ALTER TYPE "public"."letter_kind_old" RENAME TO "letter_kind"`);
    await queryRunner.query(`ALTER TABLE "reported_links" DROP COLUMN "sorting_override"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "element_overrides"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "acknowledged_at"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "action_due_at"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "ack_due_at"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "agency_id"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "assignee_id"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9d96bd105934ab93d42cd4e015"`);
    await queryRunner.query(`DROP TABLE "reason_templates"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_93302f733dff775aa1ed30526a"`);
    await queryRunner.query(`DROP TABLE "agencies"`);
  }
}
