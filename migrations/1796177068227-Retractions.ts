import { MigrationInterface, QueryRunner } from 'typeorm';

export class Retractions1796177068227 implements MigrationInterface {
  name = 'Retractions1796177068227';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TYPE "public"."link_status" ADD VALUE 'retracted'`);
    await queryRunner.query(`ALTER TYPE "public"."letter_kind" ADD VALUE 'retraction_confirmed'`);
    await queryRunner.query(`ALTER TYPE "public"."letter_kind" ADD VALUE 'referral_retracted'`);
    await queryRunner.query(`ALTER TYPE "public"."letter_kind" ADD VALUE 'retraction_restored'`);
    await queryRunner.query(`ALTER TYPE "public"."takedown_status" ADD VALUE 'cancelled'`);
    // Written by hand: the generator does not compare a partial index's WHERE. A retraction is a restoration too.
    await queryRunner.query(`DROP INDEX "public"."audit_events_restorations"`);
    await queryRunner.query(
      `CREATE INDEX "audit_events_restorations" ON "audit_events" ("id") WHERE action IN ('links.restored', 'notice.retracted')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."audit_events_restorations"`);
    await queryRunner.query(
      `CREATE INDEX "audit_events_restorations" ON "audit_events" ("id") WHERE action = 'links.restored'`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."takedown_status_old" AS ENUM('awaiting_approval', 'pending', 'done', 'not_found', 'failed', 'restored')`,
    );
    await queryRunner.query(
      `ALTER TABLE "takedowns" ALTER COLUMN "status" TYPE "public"."takedown_status_old" USING "status"::"text"::"public"."takedown_status_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."takedown_status"`);
    await queryRunner.query(`ALTER TYPE "public"."takedown_status_old" RENAME TO "takedown_status"`);
    await queryRunner.query(
      `CREATE TYPE "public"."letter_kind_old" AS ENUM('receipt', 'deficiency', 'referral', 'takedown_done', 'uploader', 'rejection', 'counter_notice_forward', 'counter_notice_receipt', 'counter_notice_deficiency', 'counter_notice_restored', 'counter_notice_suit')`,
    );
    await queryRunner.query(
      `ALTER TABLE "letters" ALTER COLUMN "kind" TYPE "public"."letter_kind_old" USING "kind"::"text"::"public"."letter_kind_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."letter_kind"`);
    await queryRunner.query(`ALTER TYPE "public"."letter_kind_old" RENAME TO "letter_kind"`);
    await queryRunner.query(
      `CREATE TYPE "public"."link_status_old" AS ENUM('pending', 'approved', 'taken_down', 'referred', 'rejected', 'restored', 'not_found', 'ignored')`,
    );
    await queryRunner.query(
      `ALTER TABLE "reported_links" ALTER COLUMN "status" TYPE "public"."link_status_old" USING "status"::"text"::"public"."link_status_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."link_status"`);
    await queryRunner.query(`ALTER TYPE "public"."link_status_old" RENAME TO "link_status"`);
  }
}
