import { MigrationInterface, QueryRunner } from 'typeorm';

/** Personal data sealed per data subject (core/privacy): the subjects, the keyring, and keyed hashes for look-ups. */

export class PersonalDataSealed1796186031351 implements MigrationInterface {
  name = 'PersonalDataSealed1796186031351';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Addresses are sealed from now on: an index on lower(email) would index ciphertext. Lookups use the keyed hash.
    await queryRunner.query(`DROP INDEX "public"."parties_email_lower"`);
    await queryRunner.query(`DROP INDEX "public"."notices_sender_email_lower"`);
    await queryRunner.query(`DROP INDEX "public"."notices_verified_sender"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b731e228a14da5e11fe6632125"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5cc6fd33f0134420718d555389"`);
    await queryRunner.query(`CREATE TYPE "public"."subject_kind" AS ENUM('person', 'held')`);
    await queryRunner.query(
      `CREATE TABLE "data_subjects" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" "public"."subject_kind" NOT NULL DEFAULT 'person', "email_hash" text, "wrapped_key" bytea, "kek_id" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "suppressed_at" TIMESTAMP WITH TIME ZONE, "erased_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_e4b0b2a88f044d09173c0378d46" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_7caaaa045c6a397e9988d505fa" ON "data_subjects"  ("email_hash") WHERE email_hash IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "privacy_keys" ("name" text NOT NULL, "wrapped_key" bytea NOT NULL, "kek_id" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_45009b86b6e5c5a3571dba08aca" PRIMARY KEY ("name"))`,
    );
    await queryRunner.query(`ALTER TABLE "parties" ADD "subject_id" uuid`);
    await queryRunner.query(`ALTER TABLE "parties" ADD "email_hash" text`);
    await queryRunner.query(`ALTER TABLE "notices" ADD "sender_email_hash" text`);
    await queryRunner.query(`ALTER TABLE "notices" ADD "subject_id" uuid`);
    await queryRunner.query(`ALTER TABLE "inbound_messages" ADD "subject_id" uuid`);
    await queryRunner.query(`ALTER TABLE "letters" ADD "subject_id" uuid`);
    await queryRunner.query(`ALTER TABLE "counter_notices" ADD "notifier_email_hash" text`);
    await queryRunner.query(`ALTER TABLE "counter_notices" ADD "subject_id" uuid`);
    await queryRunner.query(`ALTER TABLE "uploader_links" ADD "email_hash" text`);
    await queryRunner.query(`ALTER TABLE "uploader_links" ADD "subject_id" uuid`);
    await queryRunner.query(`ALTER TABLE "software_pages" ADD "uploader_email_hash" text`);
    await queryRunner.query(`CREATE INDEX "IDX_610e1c36eedb33ed4df55fa8e5" ON "parties"  ("subject_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_205e34d456211b48a4471a3a8c" ON "parties"  ("email_hash") `);
    await queryRunner.query(`CREATE INDEX "IDX_ae9a503a205338810c8b8cf9d6" ON "notices"  ("sender_email_hash") `);
    await queryRunner.query(`CREATE INDEX "IDX_5c3593f8a7df85ecb31d78ce71" ON "notices"  ("subject_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_2a275142cf7f169280c5dbdda4" ON "inbound_messages"  ("subject_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_98ac4a6b0683a188d6fc764650" ON "letters"  ("subject_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_368e1cf12ff887dfb566eebf90" ON "counter_notices"  ("subject_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_7a514ca4a8c2425dd8ed7b388a" ON "uploader_links"  ("subject_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_0f2cb0e692f3121b7b0e5e202f" ON "uploader_links"  ("case_id", "email_hash") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_36f3683a5cf784cf03e127068a" ON "software_pages"  ("uploader_email_hash") `,
    );
    // Declared on the entity with synchronize: false (TypeORM cannot express this partial index's condition).
    await queryRunner.query(
      `CREATE INDEX "notices_verified_sender" ON "notices" ("sender_email_hash") WHERE channel = 'email' AND auth->>'dmarc' = 'pass'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."notices_verified_sender"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_36f3683a5cf784cf03e127068a"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0f2cb0e692f3121b7b0e5e202f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7a514ca4a8c2425dd8ed7b388a"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_368e1cf12ff887dfb566eebf90"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_98ac4a6b0683a188d6fc764650"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2a275142cf7f169280c5dbdda4"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5c3593f8a7df85ecb31d78ce71"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ae9a503a205338810c8b8cf9d6"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_205e34d456211b48a4471a3a8c"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_610e1c36eedb33ed4df55fa8e5"`);
    await queryRunner.query(`ALTER TABLE "software_pages" DROP COLUMN "uploader_email_hash"`);
    await queryRunner.query(`ALTER TABLE "uploader_links" DROP COLUMN "subject_id"`);
    await queryRunner.query(`ALTER TABLE "uploader_links" DROP COLUMN "email_hash"`);
    await queryRunner.query(`ALTER TABLE "counter_notices" DROP COLUMN "subject_id"`);
    await queryRunner.query(`ALTER TABLE "counter_notices" DROP COLUMN "notifier_email_hash"`);
    await queryRunner.query(`ALTER TABLE "letters" DROP COLUMN "subject_id"`);
    await queryRunner.query(`ALTER TABLE "inbound_messages" DROP COLUMN "subject_id"`);
    await queryRunner.query(`ALTER TABLE "notices" DROP COLUMN "subject_id"`);
    await queryRunner.query(`ALTER TABLE "notices" DROP COLUMN "sender_email_hash"`);
    await queryRunner.query(`ALTER TABLE "parties" DROP COLUMN "email_hash"`);
    await queryRunner.query(`ALTER TABLE "parties" DROP COLUMN "subject_id"`);
    await queryRunner.query(`DROP TABLE "privacy_keys"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7caaaa045c6a397e9988d505fa"`);
    await queryRunner.query(`DROP TABLE "data_subjects"`);
    await queryRunner.query(`DROP TYPE "public"."subject_kind"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_5cc6fd33f0134420718d555389" ON "uploader_links" USING btree ("case_id", "email") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_b731e228a14da5e11fe6632125" ON "parties" USING btree ("email") `);
    await queryRunner.query(
      `CREATE INDEX "notices_verified_sender" ON "notices" (lower("sender_email")) WHERE channel = 'email' AND auth->>'dmarc' = 'pass'`,
    );
    await queryRunner.query(`CREATE INDEX "notices_sender_email_lower" ON "notices" (lower("sender_email"))`);
    await queryRunner.query(`CREATE INDEX "parties_email_lower" ON "parties" (lower("email"))`);
  }
}
