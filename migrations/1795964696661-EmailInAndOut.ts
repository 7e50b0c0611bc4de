import { MigrationInterface, QueryRunner } from 'typeorm';

export class EmailInAndOut1795964696661 implements MigrationInterface {
  name = 'EmailInAndOut1795964696661';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "evidence_files" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "inbound_message_id" uuid NOT NULL, "case_id" uuid, "filename" text NOT NULL, "content_type" text NOT NULL, "size_bytes" integer NOT NULL, "sha256" text NOT NULL, "content" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f8d1a9a8e0430b749e2f4694460" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_6f24b4e08993b7dd925849c329" ON "evidence_files"  ("inbound_message_id") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_ca803099a723bf1e6155f10d91" ON "evidence_files"  ("case_id") `);
    await queryRunner.query(`CREATE TYPE "public"."inbound_channel" AS ENUM('smtp', 'imap', 'webhook')`);
    await queryRunner.query(
      `CREATE TYPE "public"."inbound_status" AS ENUM('stored', 'parsed', 'quarantined', 'ignored', 'duplicate')`,
    );
    await queryRunner.query(
      `CREATE TABLE "inbound_messages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "channel" "public"."inbound_channel" NOT NULL, "raw" bytea NOT NULL, "size_bytes" integer NOT NULL, "content_hash" text NOT NULL, "message_id" text, "envelope_from" text, "envelope_to" text array NOT NULL DEFAULT '{}', "status" "public"."inbound_status" NOT NULL DEFAULT 'stored', "reason" text, "case_id" uuid, "notice_id" uuid, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "processed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_4f21d40ad47ab9702cb1ee64590" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_7c27f4da66282076d5d60ba0b5" ON "inbound_messages"  ("case_id") `);
    await queryRunner.query(
      `CREATE INDEX "inbound_messages_dedupe" ON "inbound_messages"  ("message_id", "content_hash") `,
    );
    await queryRunner.query(`ALTER TABLE "notices" ADD "inbound_message_id" uuid`);
    await queryRunner.query(`ALTER TABLE "notices" ADD "sender_email" text`);
    await queryRunner.query(`ALTER TABLE "notices" ADD "auth" jsonb`);
    await queryRunner.query(`ALTER TABLE "notices" ADD "flags" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "letters" ADD "message_id" text`);
    await queryRunner.query(`ALTER TABLE "letters" ADD "in_reply_to" text`);
    await queryRunner.query(`ALTER TABLE "letters" ADD "references" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "letters" ADD "attempts" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "letters" ADD "last_error" text`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_21fe4bdf8b4fc67ba06745e8b7" ON "letters"  ("message_id") WHERE message_id IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_21fe4bdf8b4fc67ba06745e8b7"`);
    await queryRunner.query(`ALTER TABLE "letters" DROP COLUMN "last_error"`);
    await queryRunner.query(`ALTER TABLE "letters" DROP COLUMN "attempts"`);
    await queryRunner.query(`ALTER TABLE "letters" DROP COLUMN "references"`);
    await queryRunner.query(`ALTER TABLE "letters" DROP COLUMN "in_reply_to"`);
    await queryRunner.query(`ALTER TABLE "letters" DROP COLUMN "message_id"`);
    await queryRunner.query(`ALTER TABLE "notices" DROP COLUMN "flags"`);
    await queryRunner.query(`ALTER TABLE "notices" DROP COLUMN "auth"`);
    await queryRunner.query(`ALTER TABLE "notices" DROP COLUMN "sender_email"`);
    await queryRunner.query(`ALTER TABLE "notices" DROP COLUMN "inbound_message_id"`);
    await queryRunner.query(`DROP INDEX "public"."inbound_messages_dedupe"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7c27f4da66282076d5d60ba0b5"`);
    await queryRunner.query(`DROP TABLE "inbound_messages"`);
    await queryRunner.query(`DROP TYPE "public"."inbound_status"`);
    await queryRunner.query(`DROP TYPE "public"."inbound_channel"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ca803099a723bf1e6155f10d91"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6f24b4e08993b7dd925849c329"`);
    await queryRunner.query(`DROP TABLE "evidence_files"`);
  }
}
