import { MigrationInterface, QueryRunner } from 'typeorm';

export class ComplaintHeldWhileNotifierSuspended1796243615735 implements MigrationInterface {
  name = 'ComplaintHeldWhileNotifierSuspended1796243615735';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "complaints" ADD "held_until" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "complaints" DROP COLUMN "held_until"`);
  }
}
