import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The language of each notice (its sender's letters are written in it) and of its case (the status page's and the
 * complainant's letters' language): issue 12. Existing rows were all read and answered in English.
 */
export class NoticeLanguage1796190000000 implements MigrationInterface {
  name = 'NoticeLanguage1796190000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notices" ADD "language" text NOT NULL DEFAULT 'en'`);
    await queryRunner.query(`ALTER TABLE "cases" ADD "language" text NOT NULL DEFAULT 'en'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "language"`);
    await queryRunner.query(`ALTER TABLE "notices" DROP COLUMN "language"`);
  }
}
