import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Takedowns carry the round of removals they fall due in, and the uploader the site named when each was removed, so
 * that a round's letters are written once, listing every link, however many sweep batches it took.
 */
export class TakedownRounds1796165168329 implements MigrationInterface {
  name = 'TakedownRounds1796165168329';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "takedowns" ADD "round" text`);
    await queryRunner.query(`ALTER TABLE "takedowns" ADD "uploader" jsonb`);
    // Takedowns already due when this runs form one round per case: their letters go out together.
    await queryRunner.query(`UPDATE "takedowns" SET "round" = 'before-rounds' WHERE "status" = 'pending'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "takedowns" DROP COLUMN "uploader"`);
    await queryRunner.query(`ALTER TABLE "takedowns" DROP COLUMN "round"`);
  }
}
