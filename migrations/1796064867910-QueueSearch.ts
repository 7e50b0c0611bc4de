import { MigrationInterface, QueryRunner } from 'typeorm';

export class QueueSearch1796064867910 implements MigrationInterface {
  name = 'QueueSearch1796064867910';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "cases" ADD "link_count" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`CREATE INDEX "IDX_f31fd66b959977417f9c3daf3c" ON "cases"  ("link_count") `);
    await queryRunner.query(`CREATE INDEX "IDX_d1efd96a6ed448c331fe9c49cd" ON "cases"  ("created_at") `);
    // Written by hand from here: the count for existing cases, and the indexes the staff queue's search and
    // domain filter use (declared on the entities with synchronize: false, so generate leaves them alone).
    await queryRunner.query(
      `UPDATE "cases" c SET "link_count" = (SELECT count(*) FROM "reported_links" l WHERE l."case_id" = c."id")`,
    );
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(`CREATE INDEX "cases_reference_trgm" ON "cases" USING gin ("reference" gin_trgm_ops)`);
    await queryRunner.query(
      `CREATE INDEX "reported_links_url_trgm" ON "reported_links" USING gin ("url" gin_trgm_ops)`,
    );
    // Replaced by a stored column in LinkHost.
    await queryRunner.query(
      `CREATE INDEX "reported_links_host_reversed" ON "reported_links"
             (reverse(lower(substring("url" from '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?([^/:?#]+)'))) text_pattern_ops)`,
    );
    await queryRunner.query(`CREATE INDEX "parties_email_lower" ON "parties" (lower("email"))`);
    await queryRunner.query(`CREATE INDEX "notices_sender_email_lower" ON "notices" (lower("sender_email"))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."notices_sender_email_lower"`);
    await queryRunner.query(`DROP INDEX "public"."parties_email_lower"`);
    await queryRunner.query(`DROP INDEX "public"."reported_links_host_reversed"`);
    await queryRunner.query(`DROP INDEX "public"."reported_links_url_trgm"`);
    await queryRunner.query(`DROP INDEX "public"."cases_reference_trgm"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d1efd96a6ed448c331fe9c49cd"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f31fd66b959977417f9c3daf3c"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "link_count"`);
  }
}
