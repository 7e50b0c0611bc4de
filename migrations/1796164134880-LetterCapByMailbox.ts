import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The letter cap by mailbox: each letter's recipient key, so that held letters to jane+1@ and jane+2@ are released
 * in one digest; the windows counted under a keyed hash of the address instead of the address; and an index of
 * verified senders for the cap's check.
 */
export class LetterCapByMailbox1796164134880 implements MigrationInterface {
  name = 'LetterCapByMailbox1796164134880';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The windows named addresses in the clear, and the hash needs APP_SECRET, which a migration does not read:
    // they are dropped, and each address's count starts again with its next letter (a window lasts an hour).
    await queryRunner.query(`DROP TABLE "letter_recipient_windows"`);
    await queryRunner.query(
      `CREATE TABLE "letter_recipient_windows" ("recipient_hash" text NOT NULL, "window_end" TIMESTAMP WITH TIME ZONE NOT NULL, "letters" integer NOT NULL, CONSTRAINT "PK_4d9a430eaf879c98c1adedbdece" PRIMARY KEY ("recipient_hash"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "letter_recipient_windows_end" ON "letter_recipient_windows" ("window_end") `,
    );
    await queryRunner.query(`ALTER TABLE "letters" ADD "recipient_key" text`);
    await queryRunner.query(
      `CREATE INDEX "letters_held_by_recipient" ON "letters" ("recipient_key", "created_at") WHERE status = 'queued' AND held_until IS NOT NULL`,
    );
    // Written by hand from here. The key of existing letters, as recipientKey computes it: lower-cased, and the
    // local part cut at its first "+" unless that is its first character.
    await queryRunner.query(
      `UPDATE "letters" l SET "recipient_key" = CASE
         WHEN k.m IS NULL OR btrim(k.m[1]) = '' THEN lower(btrim(l."recipient"))
         WHEN strpos(btrim(k.m[1]), '+') > 1 THEN lower(split_part(btrim(k.m[1]), '+', 1)) || '@' || lower(btrim(k.m[2]))
         ELSE lower(btrim(k.m[1])) || '@' || lower(btrim(k.m[2]))
         END
       FROM (SELECT id, regexp_match("recipient", '^(.*)@([^@]*)$') AS m FROM "letters" WHERE "recipient" IS NOT NULL) k
       WHERE l."id" = k.id`,
    );
    // Declared on the entity with synchronize: false (TypeORM cannot express an index on an expression).
    await queryRunner.query(
      `CREATE INDEX "notices_verified_sender" ON "notices" (lower("sender_email"))
         WHERE channel = 'email' AND auth->>'dmarc' = 'pass'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."notices_verified_sender"`);
    await queryRunner.query(`DROP INDEX "public"."letters_held_by_recipient"`);
    await queryRunner.query(`ALTER TABLE "letters" DROP COLUMN "recipient_key"`);
    await queryRunner.query(`DROP TABLE "letter_recipient_windows"`);
    await queryRunner.query(
      `CREATE TABLE "letter_recipient_windows" ("recipient" text NOT NULL, "window_end" TIMESTAMP WITH TIME ZONE NOT NULL, "letters" integer NOT NULL, CONSTRAINT "PK_6afcf7888977976165e6874d24a" PRIMARY KEY ("recipient"))`,
    );
  }
}
