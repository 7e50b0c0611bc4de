import { MigrationInterface, QueryRunner } from 'typeorm';

export class LinkSortingReasons1796067606325 implements MigrationInterface {
  name = 'LinkSortingReasons1796067606325';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "reported_links" ADD "role_reason" text`);
    await queryRunner.query(`ALTER TABLE "reported_links" ADD "classification_note" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "reported_links" DROP COLUMN "classification_note"`);
    await queryRunner.query(`ALTER TABLE "reported_links" DROP COLUMN "role_reason"`);
  }
}
