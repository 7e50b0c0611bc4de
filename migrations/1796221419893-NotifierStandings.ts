import { MigrationInterface, QueryRunner } from 'typeorm';

export class NotifierStandings1796221419893 implements MigrationInterface {
  name = 'NotifierStandings1796221419893';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "notifier_events" ("id" BIGSERIAL NOT NULL, "standing_id" uuid NOT NULL, "actor" text NOT NULL, "action" text NOT NULL, "detail" jsonb NOT NULL DEFAULT '{}', "reason_text" text, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_71b24dc4c36bb84835e1bd52f41" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_ad99b47d23729431aac4d8f164" ON "notifier_events"  ("standing_id") `);
    await queryRunner.query(`CREATE TYPE "public"."notifier_standing_status" AS ENUM('good', 'warned', 'suspended')`);
    await queryRunner.query(
      `CREATE TABLE "notifier_standings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "notifier_key" text NOT NULL, "status" "public"."notifier_standing_status" NOT NULL DEFAULT 'good', "warnings" integer NOT NULL DEFAULT '0', "warned_at" TIMESTAMP WITH TIME ZONE, "suspended_at" TIMESTAMP WITH TIME ZONE, "suspended_until" TIMESTAMP WITH TIME ZONE, "suspended_by" text, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0f771f07e00559c18c645412213" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_086193f2a158c0e144d18aea9b" ON "notifier_standings"  ("notifier_key") `,
    );
    await queryRunner.query(`ALTER TYPE "public"."letter_kind" ADD VALUE 'notifier_warning'`);
    await queryRunner.query(`ALTER TYPE "public"."letter_kind" ADD VALUE 'notifier_suspended'`);
    await queryRunner.query(`ALTER TYPE "public"."letter_kind" ADD VALUE 'notifier_notice_held'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."letter_kind_old" AS ENUM('receipt', 'deficiency', 'referral', 'takedown_done', 'uploader', 'rejection', 'counter_notice_forward', 'counter_notice_receipt', 'counter_notice_deficiency', 'counter_notice_restored', 'counter_notice_suit', 'retraction_confirmed', 'referral_retracted', 'retraction_restored', 'counter_notice_withdrawn', 'uploader_terminated', 'uploader_reinstated', 'complaint_received', 'complaint_decided')`,
    );
    await queryRunner.query(
      `ALTER TABLE "letters" ALTER COLUMN "kind" TYPE "public"."letter_kind_old" USING "kind"::"text"::"public"."letter_kind_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."letter_kind"`);
    await queryRunner.query(`ALTER TYPE "public"."letter_kind_old" RENAME TO "letter_kind"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_086193f2a158c0e144d18aea9b"`);
    await queryRunner.query(`DROP TABLE "notifier_standings"`);
    await queryRunner.query(`DROP TYPE "public"."notifier_standing_status"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ad99b47d23729431aac4d8f164"`);
    await queryRunner.query(`DROP TABLE "notifier_events"`);
  }
}
