import { MigrationInterface, QueryRunner } from 'typeorm';

export class AccountEvents1796066788875 implements MigrationInterface {
  name = 'AccountEvents1796066788875';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "account_events" ("id" BIGSERIAL NOT NULL, "actor" text NOT NULL, "action" text NOT NULL, "subject_id" uuid, "detail" jsonb NOT NULL DEFAULT '{}', "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_096b79d6426e443a0f0b096e7cf" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_cf88ecec2e32597bff893fdd62" ON "account_events"  ("subject_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_1816f4ee9f786d9eeea50778e4" ON "account_events"  ("at") `);
    // By hand: append-only like audit_events, with the same trigger function.
    await queryRunner.query(`CREATE TRIGGER account_events_append_only BEFORE UPDATE OR DELETE ON "account_events"
            FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await queryRunner.query(`CREATE TRIGGER account_events_no_truncate BEFORE TRUNCATE ON "account_events"
            FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER account_events_no_truncate ON "account_events"`);
    await queryRunner.query(`DROP TRIGGER account_events_append_only ON "account_events"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_1816f4ee9f786d9eeea50778e4"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_cf88ecec2e32597bff893fdd62"`);
    await queryRunner.query(`DROP TABLE "account_events"`);
  }
}
