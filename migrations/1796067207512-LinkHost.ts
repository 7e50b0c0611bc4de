import { MigrationInterface, QueryRunner } from 'typeorm';

export class LinkHost1796067207512 implements MigrationInterface {
  name = 'LinkHost1796067207512';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "reported_links" ADD "host_reversed" text`);
    // By hand: the reversed host becomes a column written with each link, so the domain filter compares stored
    // text instead of running the URL regex over every link; it replaces QueueSearch's expression index.
    await queryRunner.query(
      `UPDATE "reported_links" SET "host_reversed" =
               reverse(lower(substring("url" from '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?([^/:?#]+)')))`,
    );
    await queryRunner.query(`DROP INDEX IF EXISTS "public"."reported_links_host_reversed"`);
    await queryRunner.query(
      `CREATE INDEX "reported_links_host" ON "reported_links" ("host_reversed" text_pattern_ops, "case_id")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."reported_links_host"`);
    await queryRunner.query(
      `CREATE INDEX "reported_links_host_reversed" ON "reported_links"
             (reverse(lower(substring("url" from '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?([^/:?#]+)'))) text_pattern_ops)`,
    );
    await queryRunner.query(`ALTER TABLE "reported_links" DROP COLUMN "host_reversed"`);
  }
}
