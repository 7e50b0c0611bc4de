import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An evidence file is its MIME part in the raw message it came in, which is kept sealed, and removed, with it: new
 * files name the part (mime_part) and keep no copy of their own; files stored before keep theirs (content).
 */
export class EvidenceInRawMessage1796400000000 implements MigrationInterface {
  name = 'EvidenceInRawMessage1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "evidence_files" ADD "mime_part" text array`);
    await queryRunner.query(`ALTER TABLE "evidence_files" ALTER COLUMN "content" DROP NOT NULL`);
  }

  /** Files that have no copy of their own cannot stay once content is required again: their records go. */
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "evidence_files" WHERE "content" IS NULL`);
    await queryRunner.query(`ALTER TABLE "evidence_files" ALTER COLUMN "content" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "evidence_files" DROP COLUMN "mime_part"`);
  }
}
