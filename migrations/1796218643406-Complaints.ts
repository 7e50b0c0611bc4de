import { MigrationInterface, QueryRunner } from 'typeorm';

export class Complaints1796218643406 implements MigrationInterface {
  name = 'Complaints1796218643406';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."complaint_by" AS ENUM('uploader', 'complainant')`);
    await queryRunner.query(
      `CREATE TYPE "public"."complaint_subject" AS ENUM('removal', 'strike', 'termination', 'rejection')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."complaint_status" AS ENUM('received', 'in_review', 'upheld', 'reversed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "complaints" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "by" "public"."complaint_by" NOT NULL, "subject" "public"."complaint_subject" NOT NULL, "status" "public"."complaint_status" NOT NULL DEFAULT 'received', "text" text NOT NULL, "email_hash" text, "subject_id" uuid, "uploader_ids" text array NOT NULL DEFAULT '{}', "told_at" TIMESTAMP WITH TIME ZONE NOT NULL, "decision_by" text, "language" text NOT NULL DEFAULT 'en', "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "reviewed_by" text, "decided_by" text, "decided_at" TIMESTAMP WITH TIME ZONE, "answer" text, CONSTRAINT "PK_4b7566a2a489c2cc7c12ed076ad" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_9b8ad1c7fd09bb4e235380df4e" ON "complaints"  ("case_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_9273e2cefd23a5fe7c34ae8a0f" ON "complaints"  ("subject_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "complaints_open" ON "complaints"  ("case_id", "by", "subject") WHERE status IN ('received', 'in_review')`,
    );
    await queryRunner.query(`ALTER TYPE "public"."letter_kind" ADD VALUE 'complaint_received'`);
    await queryRunner.query(`ALTER TYPE "public"."letter_kind" ADD VALUE 'complaint_decided'`);
    await queryRunner.query(
      `ALTER TABLE "complaints" ADD CONSTRAINT "FK_9b8ad1c7fd09bb4e235380df4ee" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "complaints" DROP CONSTRAINT "FK_9b8ad1c7fd09bb4e235380df4ee"`);
    await queryRunner.query(
      `CREATE TYPE "public"."letter_kind_old" AS ENUM('receipt', 'deficiency', 'referral', 'takedown_done', 'uploader', 'rejection', 'counter_notice_forward', 'counter_notice_receipt', 'counter_notice_deficiency', 'counter_notice_restored', 'counter_notice_suit', 'retraction_confirmed', 'referral_retracted', 'retraction_restored', 'counter_notice_withdrawn', 'uploader_terminated', 'uploader_reinstated')`,
    );
    await queryRunner.query(
      `ALTER TABLE "letters" ALTER COLUMN "kind" TYPE "public"."letter_kind_old" USING "kind"::"text"::"public"."letter_kind_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."letter_kind"`);
    await queryRunner.query(`ALTER TYPE "public"."letter_kind_old" RENAME TO "letter_kind"`);
    await queryRunner.query(`DROP INDEX "public"."complaints_open"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9273e2cefd23a5fe7c34ae8a0f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9b8ad1c7fd09bb4e235380df4e"`);
    await queryRunner.query(`DROP TABLE "complaints"`);
    await queryRunner.query(`DROP TYPE "public"."complaint_status"`);
    await queryRunner.query(`DROP TYPE "public"."complaint_subject"`);
    await queryRunner.query(`DROP TYPE "public"."complaint_by"`);
  }
}
