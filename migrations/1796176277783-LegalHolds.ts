import { MigrationInterface, QueryRunner } from 'typeorm';

export class LegalHolds1796176277783 implements MigrationInterface {
  name = 'LegalHolds1796176277783';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."legal_hold_kind" AS ENUM('suit', 'preservation')`);
    await queryRunner.query(
      `CREATE TABLE "legal_holds" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "kind" "public"."legal_hold_kind" NOT NULL, "reason" text NOT NULL, "counter_notice_id" uuid, "set_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "released_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_bbe3e0c98678909493a90442dfb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "legal_holds_in_force" ON "legal_holds"  ("case_id") WHERE released_at IS NULL`,
    );
    await queryRunner.query(`ALTER TYPE "public"."letter_kind" ADD VALUE 'counter_notice_restored'`);
    await queryRunner.query(`ALTER TYPE "public"."letter_kind" ADD VALUE 'counter_notice_suit'`);
    await queryRunner.query(
      `ALTER TABLE "legal_holds" ADD CONSTRAINT "FK_e332f88bb3195453dfea6c99603" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "legal_holds" ADD CONSTRAINT "FK_b81adcc692f72c72973c5023117" FOREIGN KEY ("counter_notice_id") REFERENCES "counter_notices"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "legal_holds" DROP CONSTRAINT "FK_b81adcc692f72c72973c5023117"`);
    await queryRunner.query(`ALTER TABLE "legal_holds" DROP CONSTRAINT "FK_e332f88bb3195453dfea6c99603"`);
    await queryRunner.query(
      `CREATE TYPE "public"."letter_kind_old" AS ENUM('receipt', 'deficiency', 'referral', 'takedown_done', 'uploader', 'rejection', 'counter_notice_forward', 'counter_notice_receipt', 'counter_notice_deficiency')`,
    );
    await queryRunner.query(
      `ALTER TABLE "letters" ALTER COLUMN "kind" TYPE "public"."letter_kind_old" USING "kind"::"text"::"public"."letter_kind_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."letter_kind"`);
    await queryRunner.query(`ALTER TYPE "public"."letter_kind_old" RENAME TO "letter_kind"`);
    await queryRunner.query(`DROP INDEX "public"."legal_holds_in_force"`);
    await queryRunner.query(`DROP TABLE "legal_holds"`);
    await queryRunner.query(`DROP TYPE "public"."legal_hold_kind"`);
  }
}
