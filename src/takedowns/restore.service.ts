import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { audit } from '../cases/audit';
import { SITE_ADAPTER, type SiteAdapter } from '../site/site-adapter';

/**
 * Puts back on the site what was removed for links staff restored (TriageService.restore): the site is called
 * outside any transaction, then the takedowns are marked restored. A failure throws and the job retries; the site's
 * restore is idempotent, so a retry after a crash does no harm. It always ends with a takedowns.restored event naming
 * the restoration, with a count of 0 when an earlier restoration's job put the links back already: the reconciler
 * reads that event as "done".
 */
@Injectable()
export class RestoreService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(SITE_ADAPTER) private readonly site: SiteAdapter,
  ) {}

  async restore(caseId: string, restoration: string): Promise<void> {
    const rows = await this.dataSource.query<{ id: string; site_ref: string }[]>(
      `SELECT t.id, t.site_ref FROM takedowns t JOIN reported_links l ON l.id = t.reported_link_id
       WHERE t.case_id = $1 AND t.status = 'done' AND l.status = 'restored'`,
      [caseId],
    );
    if (rows.length > 0) await this.site.restore(rows.map((r) => r.site_ref));
    await this.dataSource.transaction(async (m) => {
      const [kase] = await m.query<unknown[]>(`SELECT 1 FROM cases WHERE id = $1 FOR UPDATE`, [caseId]);
      if (!kase) return;
      const restored = await m.query<unknown[]>(
        `WITH restored AS (UPDATE takedowns SET status = 'restored', restored_at = now()
                           WHERE id = ANY($1::uuid[]) AND status = 'done' RETURNING id)
         SELECT id FROM restored`,
        [rows.map((r) => r.id)],
      );
      await audit(m, caseId, 'worker', 'takedowns.restored', { restoration, restored: restored.length });
    });
  }
}
