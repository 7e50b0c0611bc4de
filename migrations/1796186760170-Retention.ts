import { MigrationInterface, QueryRunner } from 'typeorm';

/** Retention (privacy/retention.ts): what it has removed from cases and mail, its runs, and who released a hold. */
export class Retention1796186760170 implements MigrationInterface {
  name = 'Retention1796186760170';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "retention_runs" ("id" uuid NOT NULL, "actor" text NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "finished_at" TIMESTAMP WITH TIME ZONE NOT NULL, "counts" jsonb NOT NULL, CONSTRAINT "PK_80f0aec401112f8d4bad156a908" PRIMARY KEY ("id"))`,
    );
    // By hand: append-only like audit_events, with the same trigger function.
    await queryRunner.query(`CREATE TRIGGER retention_runs_append_only BEFORE UPDATE OR DELETE ON "retention_runs"
            FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await queryRunner.query(`CREATE TRIGGER retention_runs_no_truncate BEFORE TRUNCATE ON "retention_runs"
            FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
    await queryRunner.query(`ALTER TABLE "cases" ADD "personal_data_erased_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "inbound_messages" ADD "raw_removed_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "legal_holds" ADD "released_by" text`);
    await queryRunner.query(`ALTER TABLE "legal_holds" ADD "release_reason" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "legal_holds" DROP COLUMN "release_reason"`);
    await queryRunner.query(`ALTER TABLE "legal_holds" DROP COLUMN "released_by"`);
    await queryRunner.query(`ALTER TABLE "inbound_messages" DROP COLUMN "raw_removed_at"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "personal_data_erased_at"`);
    await queryRunner.query(`DROP TRIGGER retention_runs_no_truncate ON "retention_runs"`);
    await queryRunner.query(`DROP TRIGGER retention_runs_append_only ON "retention_runs"`);
    await queryRunner.query(`DROP TABLE "retention_runs"`);
  }
}
