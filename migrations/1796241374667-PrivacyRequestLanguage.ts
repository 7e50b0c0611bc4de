import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The language a privacy request's mail is written in (issue 12 §2): the request form's, else DEFAULT_LOCALE.
 * Existing requests were all answered in English.
 */
export class PrivacyRequestLanguage1796241374667 implements MigrationInterface {
  name = 'PrivacyRequestLanguage1796241374667';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "privacy_requests" ADD "language" text NOT NULL DEFAULT 'en'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "privacy_requests" DROP COLUMN "language"`);
  }
}
