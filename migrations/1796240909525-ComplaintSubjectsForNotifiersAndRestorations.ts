import { MigrationInterface, QueryRunner } from 'typeorm';

export class ComplaintSubjectsForNotifiersAndRestorations1796240909525 implements MigrationInterface {
  name = 'ComplaintSubjectsForNotifiersAndRestorations1796240909525';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."complaints_open"`);
    await queryRunner.query(`ALTER TYPE "public"."complaint_subject" ADD VALUE 'restoration'`);
    await queryRunner.query(`ALTER TYPE "public"."complaint_subject" ADD VALUE 'notifier_warning'`);
    await queryRunner.query(`ALTER TYPE "public"."complaint_subject" ADD VALUE 'notifier_suspension'`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "complaints_open" ON "complaints"  ("case_id", "by", "subject") WHERE status IN ('received', 'in_review')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."complaints_open"`);
    await queryRunner.query(
      `CREATE TYPE "public"."complaint_subject_old" AS ENUM('removal', 'strike', 'termination', 'rejection')`,
    );
    await queryRunner.query(
      `ALTER TABLE "complaints" ALTER COLUMN "subject" TYPE "public"."complaint_subject_old" USING "subject"::"text"::"public"."complaint_subject_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."complaint_subject"`);
    await queryRunner.query(`ALTER TYPE "public"."complaint_subject_old" RENAME TO "complaint_subject"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "complaints_open" ON "complaints" USING btree ("case_id", "by", "subject") WHERE (status = ANY (ARRAY['received'::complaint_status, 'in_review'::complaint_status]))`,
    );
  }
}
