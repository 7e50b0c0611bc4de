import { MigrationInterface, QueryRunner } from 'typeorm';

export class LoginAttempts1796161420336 implements MigrationInterface {
  name = 'LoginAttempts1796161420336';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "login_attempts" ("key" text NOT NULL, "failures" integer NOT NULL DEFAULT '0', "next_allowed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f90e70c50d5744e4d9f41dd397c" PRIMARY KEY ("key"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_764eeffc158654fb2cf1352a72" ON "login_attempts"  ("updated_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_764eeffc158654fb2cf1352a72"`);
    await queryRunner.query(`DROP TABLE "login_attempts"`);
  }
}
