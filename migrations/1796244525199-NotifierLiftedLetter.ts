import { MigrationInterface, QueryRunner } from 'typeorm';

export class NotifierLiftedLetter1796244525199 implements MigrationInterface {
  name = 'NotifierLiftedLetter1796244525199';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TYPE "public"."letter_kind" ADD VALUE 'notifier_lifted'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."letter_kind_old" AS ENUM('receipt', 'deficiency', 'referral', 'takedown_done', 'uploader', 'rejection', 'counter_notice_forward', 'counter_notice_receipt', 'counter_notice_deficiency', 'counter_notice_restored', 'counter_notice_suit', 'retraction_confirmed', 'referral_retracted', 'retraction_restored', 'counter_notice_withdrawn', 'uploader_terminated', 'uploader_reinstated', 'complaint_received', 'complaint_decided', 'notifier_warning', 'notifier_suspended', 'notifier_notice_held')`,
    );
    await queryRunner.query(
      `ALTER TABLE "letters" ALTER COLUMN "kind" TYPE "public"."letter_kind_old" USING "kind"::"text"::"public"."letter_kind_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."letter_kind"`);
    await queryRunner.query(`ALTER TYPE "public"."letter_kind_old" RENAME TO "letter_kind"`);
  }
}
