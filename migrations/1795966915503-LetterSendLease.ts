import { MigrationInterface, QueryRunner } from 'typeorm';

export class LetterSendLease1795966915503 implements MigrationInterface {
  name = 'LetterSendLease1795966915503';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "letters" ADD "claimed_until" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "letters" DROP COLUMN "claimed_until"`);
  }
}
