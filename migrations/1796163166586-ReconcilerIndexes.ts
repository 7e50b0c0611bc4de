import { MigrationInterface, QueryRunner } from 'typeorm';

/** Partial indexes for the reconciler's look-ups, so that a pass reads what is owed, not whole tables. */
export class ReconcilerIndexes1796163166586 implements MigrationInterface {
  name = 'ReconcilerIndexes1796163166586';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "cases_unrouted" ON "cases" ("updated_at") WHERE routed_at IS NULL`);
    await queryRunner.query(`CREATE INDEX "letters_unsent" ON "letters" ("created_at") WHERE status = 'queued'`);
    await queryRunner.query(
      `CREATE INDEX "inbound_messages_unparsed" ON "inbound_messages" ("received_at") WHERE status = 'stored'`,
    );
    await queryRunner.query(
      `CREATE INDEX "audit_events_approvals" ON "audit_events" ("id") WHERE action = 'takedowns.approved'`,
    );
    await queryRunner.query(
      `CREATE INDEX "audit_events_restorations" ON "audit_events" ("id") WHERE action = 'links.restored'`,
    );
    await queryRunner.query(
      `CREATE INDEX "reported_links_approved" ON "reported_links" ("case_id") WHERE status = 'approved'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."reported_links_approved"`);
    await queryRunner.query(`DROP INDEX "public"."audit_events_restorations"`);
    await queryRunner.query(`DROP INDEX "public"."audit_events_approvals"`);
    await queryRunner.query(`DROP INDEX "public"."inbound_messages_unparsed"`);
    await queryRunner.query(`DROP INDEX "public"."letters_unsent"`);
    await queryRunner.query(`DROP INDEX "public"."cases_unrouted"`);
  }
}
