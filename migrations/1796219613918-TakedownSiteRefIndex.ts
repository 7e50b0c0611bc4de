import { MigrationInterface, QueryRunner } from 'typeorm';

export class TakedownSiteRefIndex1796219613918 implements MigrationInterface {
  name = 'TakedownSiteRefIndex1796219613918';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_ba1f0584cea5ac737e49e4b6d9" ON "takedowns"  ("site_ref") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_ba1f0584cea5ac737e49e4b6d9"`);
  }
}
