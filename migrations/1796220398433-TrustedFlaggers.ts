import { MigrationInterface, QueryRunner } from 'typeorm';

export class TrustedFlaggers1796220398433 implements MigrationInterface {
  name = 'TrustedFlaggers1796220398433';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "agencies" ADD "trusted_flagger_since" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "agencies" ADD "trusted_flagger_authority" text`);
    await queryRunner.query(`ALTER TABLE "agencies" ADD "trusted_flagger_area" text`);
    await queryRunner.query(`ALTER TABLE "cases" ADD "queue_tier" smallint NOT NULL DEFAULT '1'`);
    await queryRunner.query(`CREATE INDEX "cases_queue_tier" ON "cases"  ("queue_tier", "created_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."cases_queue_tier"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "queue_tier"`);
    await queryRunner.query(`ALTER TABLE "agencies" DROP COLUMN "trusted_flagger_area"`);
    await queryRunner.query(`ALTER TABLE "agencies" DROP COLUMN "trusted_flagger_authority"`);
    await queryRunner.query(`ALTER TABLE "agencies" DROP COLUMN "trusted_flagger_since"`);
  }
}
