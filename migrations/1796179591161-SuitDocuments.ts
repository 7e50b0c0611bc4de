import { MigrationInterface, QueryRunner } from 'typeorm';

export class SuitDocuments1796179591161 implements MigrationInterface {
  name = 'SuitDocuments1796179591161';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "legal_holds" ADD "document_name" text`);
    await queryRunner.query(`ALTER TABLE "legal_holds" ADD "document_type" text`);
    await queryRunner.query(`ALTER TABLE "legal_holds" ADD "document_sha256" text`);
    await queryRunner.query(`ALTER TABLE "legal_holds" ADD "document" bytea`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "legal_holds" DROP COLUMN "document"`);
    await queryRunner.query(`ALTER TABLE "legal_holds" DROP COLUMN "document_sha256"`);
    await queryRunner.query(`ALTER TABLE "legal_holds" DROP COLUMN "document_type"`);
    await queryRunner.query(`ALTER TABLE "legal_holds" DROP COLUMN "document_name"`);
  }
}
