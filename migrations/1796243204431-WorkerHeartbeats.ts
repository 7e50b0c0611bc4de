import { MigrationInterface, QueryRunner } from 'typeorm';

export class WorkerHeartbeats1796243204431 implements MigrationInterface {
  name = 'WorkerHeartbeats1796243204431';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "worker_heartbeats" ("id" text NOT NULL, "hostname" text NOT NULL, "pid" integer NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_b78cac2cb4a34485da0553fd5c9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "worker_heartbeats_last_seen" ON "worker_heartbeats"  ("last_seen_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."worker_heartbeats_last_seen"`);
    await queryRunner.query(`DROP TABLE "worker_heartbeats"`);
  }
}
