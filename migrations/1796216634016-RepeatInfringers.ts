import { MigrationInterface, QueryRunner } from 'typeorm';

export class RepeatInfringers1796216634016 implements MigrationInterface {
  name = 'RepeatInfringers1796216634016';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "catalog_suspended_uploaders" ("uploader_id" text NOT NULL, "reference" text NOT NULL, "suspended_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4e4fb962cab0fd4e0b492d34cb2" PRIMARY KEY ("uploader_id"))`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."strike_void_reason" AS ENUM('retracted', 'counter_notice_restored', 'restored_by_staff', 'complaint_upheld')`,
    );
    await queryRunner.query(
      `CREATE TABLE "strikes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "uploader_id" text NOT NULL, "case_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "voided_at" TIMESTAMP WITH TIME ZONE, "void_reason" "public"."strike_void_reason", "voided_by" text, CONSTRAINT "PK_99327114d7cadcfd184ea78095a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_43531fcd0aaf5f8eba7c5a51c7" ON "strikes"  ("case_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_6284e6dd610be54711098c645a" ON "strikes"  ("uploader_id", "case_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "uploader_events" ("id" BIGSERIAL NOT NULL, "standing_id" uuid NOT NULL, "actor" text NOT NULL, "action" text NOT NULL, "detail" jsonb NOT NULL DEFAULT '{}', "reason_text" text, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_de9c1ea1f0f1a4266d614258e1b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_aa75cee0bc33f796616e7bef4d" ON "uploader_events"  ("standing_id") `);
    await queryRunner.query(
      `CREATE TYPE "public"."uploader_standing_status" AS ENUM('good', 'recommended', 'suspended')`,
    );
    await queryRunner.query(
      `CREATE TABLE "uploader_standings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "uploader_id" text NOT NULL, "status" "public"."uploader_standing_status" NOT NULL DEFAULT 'good', "email" text, "email_hash" text, "subject_id" uuid, "last_case_id" uuid, "recommended_at" TIMESTAMP WITH TIME ZONE, "recommended_strikes" integer, "suspended_at" TIMESTAMP WITH TIME ZONE, "suspended_by" text, "suspended_strikes" integer, "suspension_reference" text, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d0ce4e6ad0c6421dfeaa076fd4d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_a8ab10933aad9692d8b09bcf90" ON "uploader_standings"  ("uploader_id") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_6f6839c689c5262d660fdb5b49" ON "uploader_standings"  ("subject_id") `);
    await queryRunner.query(`ALTER TABLE "software_pages" ADD "uploader_id" text`);
    await queryRunner.query(`ALTER TABLE "takedowns" ADD "uploader_id" text`);
    await queryRunner.query(`ALTER TYPE "public"."letter_kind" ADD VALUE 'uploader_terminated'`);
    await queryRunner.query(`ALTER TYPE "public"."letter_kind" ADD VALUE 'uploader_reinstated'`);
    await queryRunner.query(`CREATE INDEX "IDX_379f2867fc346f1fc0901cf5a9" ON "software_pages"  ("uploader_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_9a7998f530ed8de6abd804eeaa" ON "takedowns"  ("uploader_id") `);
    await queryRunner.query(
      `ALTER TABLE "strikes" ADD CONSTRAINT "FK_43531fcd0aaf5f8eba7c5a51c76" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "strikes" DROP CONSTRAINT "FK_43531fcd0aaf5f8eba7c5a51c76"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9a7998f530ed8de6abd804eeaa"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_379f2867fc346f1fc0901cf5a9"`);
    await queryRunner.query(
      `CREATE TYPE "public"."letter_kind_old" AS ENUM('receipt', 'deficiency', 'referral', 'takedown_done', 'uploader', 'rejection', 'counter_notice_forward', 'counter_notice_receipt', 'counter_notice_deficiency', 'counter_notice_restored', 'counter_notice_suit', 'retraction_confirmed', 'referral_retracted', 'retraction_restored', 'counter_notice_withdrawn')`,
    );
    await queryRunner.query(
      `ALTER TABLE "letters" ALTER COLUMN "kind" TYPE "public"."letter_kind_old" USING "kind"::"text"::"public"."letter_kind_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."letter_kind"`);
    await queryRunner.query(`ALTER TYPE "public"."letter_kind_old" RENAME TO "letter_kind"`);
    await queryRunner.query(`ALTER TABLE "takedowns" DROP COLUMN "uploader_id"`);
    await queryRunner.query(`ALTER TABLE "software_pages" DROP COLUMN "uploader_id"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6f6839c689c5262d660fdb5b49"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a8ab10933aad9692d8b09bcf90"`);
    await queryRunner.query(`DROP TABLE "uploader_standings"`);
    await queryRunner.query(`DROP TYPE "public"."uploader_standing_status"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_aa75cee0bc33f796616e7bef4d"`);
    await queryRunner.query(`DROP TABLE "uploader_events"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6284e6dd610be54711098c645a"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_43531fcd0aaf5f8eba7c5a51c7"`);
    await queryRunner.query(`DROP TABLE "strikes"`);
    await queryRunner.query(`DROP TYPE "public"."strike_void_reason"`);
    await queryRunner.query(`DROP TABLE "catalog_suspended_uploaders"`);
  }
}
