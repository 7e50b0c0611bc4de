import { MigrationInterface, QueryRunner } from 'typeorm';

export class LetterCap1796161659692 implements MigrationInterface {
  name = 'LetterCap1796161659692';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "letter_recipient_windows" ("recipient" text NOT NULL, "window_end" TIMESTAMP WITH TIME ZONE NOT NULL, "letters" integer NOT NULL, CONSTRAINT "PK_6afcf7888977976165e6874d24a" PRIMARY KEY ("recipient"))`,
    );
    await queryRunner.query(`ALTER TABLE "letters" ADD "held_until" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `CREATE INDEX "letters_held" ON "letters"  ("held_until") WHERE status = 'queued' AND held_until IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."letters_held"`);
    await queryRunner.query(`ALTER TABLE "letters" DROP COLUMN "held_until"`);
    await queryRunner.query(`DROP TABLE "letter_recipient_windows"`);
  }
}
