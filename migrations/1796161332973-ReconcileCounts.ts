import { MigrationInterface, QueryRunner } from 'typeorm';

export class ReconcileCounts1796161332973 implements MigrationInterface {
  name = 'ReconcileCounts1796161332973';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "reconcile_counts" ("kind" text NOT NULL, "total" bigint NOT NULL DEFAULT '0', "last_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_6306c3481276fa40f5501a4d7b9" PRIMARY KEY ("kind"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "reconcile_counts"`);
  }
}
