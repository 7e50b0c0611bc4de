import { MigrationInterface, QueryRunner } from 'typeorm';

export class TakedownLease1795964224767 implements MigrationInterface {
  name = 'TakedownLease1795964224767';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "takedowns" ADD "claimed_until" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "takedowns" DROP COLUMN "claimed_until"`);
  }
}
