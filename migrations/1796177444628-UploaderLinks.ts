import { MigrationInterface, QueryRunner } from 'typeorm';

export class UploaderLinks1796177444628 implements MigrationInterface {
  name = 'UploaderLinks1796177444628';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "uploader_links" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "email" text NOT NULL, "token" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3385a1863663029262356a18cf5" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_c8bde07465ee1275012906e444" ON "uploader_links"  ("token") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_5cc6fd33f0134420718d555389" ON "uploader_links"  ("case_id", "email") `,
    );
    await queryRunner.query(
      `ALTER TABLE "uploader_links" ADD CONSTRAINT "FK_4b2b274e10603ce09a2cae5d99d" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "uploader_links" DROP CONSTRAINT "FK_4b2b274e10603ce09a2cae5d99d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5cc6fd33f0134420718d555389"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c8bde07465ee1275012906e444"`);
    await queryRunner.query(`DROP TABLE "uploader_links"`);
  }
}
