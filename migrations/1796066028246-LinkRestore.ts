import { MigrationInterface, QueryRunner } from 'typeorm';

export class LinkRestore1796066028246 implements MigrationInterface {
  name = 'LinkRestore1796066028246';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "takedowns" ADD "restored_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TYPE "public"."takedown_status" ADD VALUE 'restored'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // By hand: restored takedowns go back to done, and the partial index on status is rebuilt around the type.
    await queryRunner.query(`UPDATE "takedowns" SET "status" = 'done' WHERE "status" = 'restored'`);
    await queryRunner.query(`DROP INDEX "public"."takedowns_due"`);
    await queryRunner.query(
      `CREATE TYPE "public"."takedown_status_old" AS ENUM('awaiting_approval', 'pending', 'done', 'not_found', 'failed')`,
    );
    await queryRunner.query(
      `ALTER TABLE "takedowns" ALTER COLUMN "status" TYPE "public"."takedown_status_old" USING "status"::"text"::"public"."takedown_status_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."takedown_status"`);
    await queryRunner.query(`ALTER TYPE "public"."takedown_status_old" RENAME TO "takedown_status"`);
    await queryRunner.query(`CREATE INDEX "takedowns_due" ON "takedowns"  ("due_at") WHERE status = 'pending'`);
    await queryRunner.query(`ALTER TABLE "takedowns" DROP COLUMN "restored_at"`);
  }
}
