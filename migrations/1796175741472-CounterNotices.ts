import { MigrationInterface, QueryRunner } from 'typeorm';

export class CounterNotices1796175741472 implements MigrationInterface {
  name = 'CounterNotices1796175741472';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."counter_notice_status" AS ENUM('needs_info', 'in_review', 'forwarded', 'restored', 'suit_filed', 'withdrawn', 'invalid')`,
    );
    await queryRunner.query(
      `CREATE TABLE "counter_notices" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "notice_id" uuid NOT NULL, "channel" "public"."notice_channel" NOT NULL, "status_token" text NOT NULL, "status" "public"."counter_notice_status" NOT NULL, "notifier_name" text, "notifier_email" text, "notifier_phone" text, "notifier_address" text, "notifier_country" text, "removed_urls" text array NOT NULL DEFAULT '{}', "problems" text array NOT NULL DEFAULT '{}', "checklist" jsonb NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "completed_at" TIMESTAMP WITH TIME ZONE, "restore_not_before" TIMESTAMP WITH TIME ZONE, "restore_not_after" TIMESTAMP WITH TIME ZONE, "restore_due_at" TIMESTAMP WITH TIME ZONE, "forwarded_at" TIMESTAMP WITH TIME ZONE, "restored_at" TIMESTAMP WITH TIME ZONE, "suit_court" text, "suit_docket_number" text, "suit_filed_on" date, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2fe31d52f4c6767ee7c452b24b9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_8bfbcd48c87b873bc55810bc45" ON "counter_notices"  ("case_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_45126dcce24dd237b36c5c4435" ON "counter_notices"  ("status_token") `,
    );
    await queryRunner.query(
      `CREATE INDEX "counter_notices_due" ON "counter_notices"  ("restore_due_at") WHERE status = 'forwarded'`,
    );
    await queryRunner.query(`ALTER TYPE "public"."letter_kind" ADD VALUE 'counter_notice_forward'`);
    await queryRunner.query(`ALTER TYPE "public"."letter_kind" ADD VALUE 'counter_notice_receipt'`);
    await queryRunner.query(`ALTER TYPE "public"."letter_kind" ADD VALUE 'counter_notice_deficiency'`);
    await queryRunner.query(
      `ALTER TABLE "counter_notices" ADD CONSTRAINT "FK_8bfbcd48c87b873bc55810bc45b" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "counter_notices" ADD CONSTRAINT "FK_d7dc4471c3274247711ff57a5ee" FOREIGN KEY ("notice_id") REFERENCES "notices"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "counter_notices" DROP CONSTRAINT "FK_d7dc4471c3274247711ff57a5ee"`);
    await queryRunner.query(`ALTER TABLE "counter_notices" DROP CONSTRAINT "FK_8bfbcd48c87b873bc55810bc45b"`);
    await queryRunner.query(
      `CREATE TYPE "public"."letter_kind_old" AS ENUM('receipt', 'deficiency', 'referral', 'takedown_done', 'uploader', 'rejection')`,
    );
    await queryRunner.query(
      `ALTER TABLE "letters" ALTER COLUMN "kind" TYPE "public"."letter_kind_old" USING "kind"::"text"::"public"."letter_kind_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."letter_kind"`);
    await queryRunner.query(`ALTER TYPE "public"."letter_kind_old" RENAME TO "letter_kind"`);
    await queryRunner.query(`DROP INDEX "public"."counter_notices_due"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_45126dcce24dd237b36c5c4435"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_8bfbcd48c87b873bc55810bc45"`);
    await queryRunner.query(`DROP TABLE "counter_notices"`);
    await queryRunner.query(`DROP TYPE "public"."counter_notice_status"`);
  }
}
