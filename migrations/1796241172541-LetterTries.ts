import { MigrationInterface, QueryRunner } from 'typeorm';

export class LetterTries1796241172541 implements MigrationInterface {
  name = 'LetterTries1796241172541';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "letters" ADD "sending_since" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "letters" ADD "resends" integer NOT NULL DEFAULT '0'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "letters" DROP COLUMN "resends"`);
    await queryRunner.query(`ALTER TABLE "letters" DROP COLUMN "sending_since"`);
  }
}
