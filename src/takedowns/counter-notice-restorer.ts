import type { Locale } from '../core/i18n/locales';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { audit } from '../cases/audit';
import { recordText } from '../cases/case-texts';
import { moveLinks } from '../cases/link-transitions';
import { LinkStatus } from '../cases/reported-link.entity';
import { CLOCK, type Clock } from '../core/clock';
import { JobName, QueueName } from '../core/queue/jobs';
import { OutboxService } from '../core/queue/outbox.service';
import { tellBothParties } from '../letters/counter-notice-letters';
import { LetterKind } from '../letters/letter.entity';
import { LettersService } from '../letters/letters.service';
import { PersonalData } from '../core/privacy/personal-data.service';

/** How many due counter-notices one sweep restores; the next sweep takes the rest. */
const BATCH = 50;

interface DueRow {
  id: string;
  case_id: string;
  reference: string;
  status_token: string;
  language: Locale;
  removed_urls: string[];
}

/**
 * 512(g)(2)(C): on the restore day of a forwarded counter-notice that no suit stopped, puts back the links it named
 * (through the link door, then RestoreLinks puts them back on the site, unless another case still holds them),
 * and tells both parties. Runs with the due-takedowns sweep, on every worker: rows are claimed with SKIP LOCKED,
 * and each is settled in its own transaction. A forwarded counter-notice past the last day of its window and still
 * not restored is an alert in the audit log, once.
 */
@Injectable()
export class CounterNoticeRestorer {
  private readonly logger = new Logger(CounterNoticeRestorer.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly letters: LettersService,
    private readonly vault: PersonalData,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  async restoreDue(): Promise<{ restored: number; overdue: number }> {
    const now = this.now();
    let restored = 0;
    for (;;) {
      const done = await this.dataSource.transaction(async (m) => {
        const [row] = await m.query<DueRow[]>(
          `SELECT n.id, n.case_id, c.reference, c.status_token, c.language, n.removed_urls
           FROM counter_notices n JOIN cases c ON c.id = n.case_id
           WHERE n.status = 'forwarded' AND n.restore_due_at <= $1
             AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.case_id = n.case_id AND h.released_at IS NULL
                             AND h.kind = 'suit')
           ORDER BY n.restore_due_at LIMIT 1 FOR UPDATE OF n SKIP LOCKED`,
          [now],
        );
        if (!row) return false;
        await this.restore(m, row, now);
        return true;
      });
      if (!done) break;
      if (++restored >= BATCH) break;
    }
    const overdue = await this.flagOverdue(now);
    if (restored > 0) this.logger.log(`restored ${restored} counter-noticed case(s)`);
    return { restored, overdue };
  }

  private async restore(m: EntityManager, row: DueRow, now: Date): Promise<void> {
    await m.query(`SELECT 1 FROM cases WHERE id = $1 FOR UPDATE`, [row.case_id]);
    const links = await m.query<{ id: string; url: string }[]>(
      `SELECT id, url FROM reported_links WHERE case_id = $1 AND url = ANY($2::text[]) AND status = 'taken_down'`,
      [row.case_id, row.removed_urls],
    );
    const { event: restoration, moved } = await moveLinks(m, {
      caseId: row.case_id,
      actor: 'worker',
      moves: [{ linkIds: links.map((l) => l.id), to: LinkStatus.Restored }],
      onRefused: 'skip',
      event: {
        action: 'links.restored',
        detail: {
          links: links.map((l) => l.url),
          reasonText: await recordText(
            m,
            row.case_id,
            'worker',
            'reason',
            `Counter-notice ${row.id}: its waiting period ended without notice of a suit (17 U.S.C. 512(g)(2)(C)).`,
          ),
        },
      },
    });
    if (moved.length > 0) {
      await this.outbox.enqueue(m, [
        { queue: QueueName.Takedowns, name: JobName.RestoreLinks, data: { caseId: row.case_id, restoration } },
      ]);
    }
    await m.query(`UPDATE counter_notices SET status = 'restored', restored_at = $2 WHERE id = $1`, [row.id, now]);
    await audit(m, row.case_id, 'worker', 'counter_notice.restored', { counterNotice: row.id, links: moved.length });
    const kase = { id: row.case_id, reference: row.reference, statusToken: row.status_token, language: row.language };
    await tellBothParties(m, this.letters, this.vault, kase, LetterKind.CounterNoticeRestored, row.id, 'restored');
  }

  /** Forwarded counter-notices past the last day of their window, alerted once each in their case's audit log. */
  private async flagOverdue(now: Date): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const rows = await m.query<{ id: string; case_id: string; restore_not_after: Date }[]>(
        `SELECT n.id, n.case_id, n.restore_not_after FROM counter_notices n
         WHERE n.status = 'forwarded' AND n.restore_not_after < $1
           AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.case_id = n.case_id AND h.released_at IS NULL
                           AND h.kind = 'suit')
           AND NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.case_id = n.case_id
                           AND a.action = 'counter_notice.restore_overdue' AND a.detail->>'counterNotice' = n.id::text)
         LIMIT 100 FOR UPDATE OF n SKIP LOCKED`,
        [now],
      );
      for (const r of rows) {
        await audit(m, r.case_id, 'worker', 'counter_notice.restore_overdue', {
          counterNotice: r.id,
          restoreNotAfter: new Date(r.restore_not_after).toISOString(),
        });
      }
      return rows.length;
    });
  }
}
