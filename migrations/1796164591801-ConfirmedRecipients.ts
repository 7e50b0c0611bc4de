import { MigrationInterface, QueryRunner } from 'typeorm';

export class ConfirmedRecipients1796164591801 implements MigrationInterface {
  name = 'ConfirmedRecipients1796164591801';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "confirmed_recipients" ("recipient_hash" text NOT NULL, "confirmed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_confirmed_recipients" PRIMARY KEY ("recipient_hash"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "confirmed_recipients"`);
  }
}
