import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One original per Message-ID and content: the dedupe index becomes unique among the messages that are not
 * duplicates, so that storing a message is one INSERT ... ON CONFLICT instead of an advisory lock and a look-up
 * before it. Were two originals ever stored (none should be: the lock serialised them), the later ones are marked
 * duplicates of the first first, as they would have been.
 */
export class InboundDedupeUnique1796295394835 implements MigrationInterface {
  name = 'InboundDedupeUnique1796295394835';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE inbound_messages m SET status = 'duplicate', reason = 'duplicate of ' || f.first_id
       FROM (SELECT id, first_value(id) OVER w AS first_id, row_number() OVER w AS n
             FROM inbound_messages WHERE message_id IS NOT NULL AND status <> 'duplicate'
             WINDOW w AS (PARTITION BY message_id, content_hash ORDER BY received_at, id)) f
       WHERE m.id = f.id AND f.n > 1`,
    );
    await queryRunner.query(`DROP INDEX "public"."inbound_messages_dedupe"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "inbound_messages_dedupe" ON "inbound_messages" ("message_id", "content_hash") WHERE status <> 'duplicate'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."inbound_messages_dedupe"`);
    await queryRunner.query(
      `CREATE INDEX "inbound_messages_dedupe" ON "inbound_messages" ("message_id", "content_hash") `,
    );
  }
}
