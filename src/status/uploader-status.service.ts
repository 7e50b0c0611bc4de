import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ElementName } from '../checklist';
import { type AppConfig, appConfig } from '../core/config';
import { PersonalData } from '../core/privacy/personal-data.service';
import { type Claim, claimOf } from '../letters/uploader-letter';
import { StrikeLedger } from '../strikes/strike-ledger.service';
import { UploaderStandingStatus } from '../strikes/uploader-standing.entity';

/** What an uploader sees through their private link: never the complainant's email, phone or street address. */
export interface UploaderStatusView {
  reference: string;
  claim: Claim;
  /** The URLs the notice names, as the uploader may see them. */
  noticeUrls: string[];
  /** What was removed of theirs, when, and where it stands now. */
  removed: { url: string; removedAt: Date | null; status: string }[];
  counterNoticeUrl: string;
  counterNotices: {
    receivedAt: Date;
    status: string;
    missing: ElementName[];
    restoreNotBefore: Date | null;
    restoreNotAfter: Date | null;
    restoreDueAt: Date | null;
    restoredAt: Date | null;
  }[];
  /**
   * Where the uploader's accounts stand under the repeat-infringer policy: their active strikes and when each
   * expires, the threshold, and the standing. Null when the site named no account for what was removed.
   */
  strikes: {
    active: number;
    threshold: number;
    expiryDays: number;
    status: UploaderStandingStatus;
    items: { case: string; createdAt: Date; expiresAt: Date }[];
    policyUrl: string;
  } | null;
}

const URLS_SHOWN = 500;

@Injectable()
export class UploaderStatusService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    private readonly vault: PersonalData,
    private readonly ledger: StrikeLedger,
  ) {}

  async byToken(token: string): Promise<UploaderStatusView> {
    if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) throw new NotFoundException('No case has this link.');
    const [link] = await this.dataSource.query<{ case_id: string; email_hash: string; reference: string }[]>(
      `SELECT u.case_id, u.email_hash, c.reference FROM uploader_links u JOIN cases c ON c.id = u.case_id
       WHERE u.token = $1`,
      [token],
    );
    if (!link) throw new NotFoundException('No case has this link.');
    const [noticeUrls, removed, counterNotices, claim] = await Promise.all([
      this.dataSource.query<{ url: string }[]>(
        `SELECT url FROM reported_links WHERE case_id = $1 AND role = 'infringing' ORDER BY position, id LIMIT $2`,
        [link.case_id, URLS_SHOWN],
      ),
      this.dataSource.query<UploaderStatusView['removed']>(
        `SELECT DISTINCT ON (l.url) l.url, t.done_at AS "removedAt", l.status
         FROM takedowns t JOIN reported_links l ON l.id = t.reported_link_id
         WHERE t.case_id = $1 AND t.uploader->>'emailHash' = $2
         ORDER BY l.url, t.done_at DESC NULLS LAST`,
        [link.case_id, link.email_hash],
      ),
      this.dataSource.query<
        (UploaderStatusView['counterNotices'][number] & { checklist: { missing: ElementName[] } })[]
      >(
        `SELECT received_at AS "receivedAt", status, checklist, restore_not_before AS "restoreNotBefore",
                restore_not_after AS "restoreNotAfter", restore_due_at AS "restoreDueAt", restored_at AS "restoredAt"
         FROM counter_notices WHERE case_id = $1 AND notifier_email_hash = $2 ORDER BY received_at`,
        [link.case_id, link.email_hash],
      ),
      claimOf(this.dataSource.manager, this.vault, link.case_id),
    ]);
    const query = new URLSearchParams({ case: link.reference });
    for (const r of removed) query.append('url', r.url);
    return {
      reference: link.reference,
      claim,
      noticeUrls: noticeUrls.map((r) => r.url),
      removed,
      counterNoticeUrl: `${this.app.publicUrl}/counter-notices/new?${query.toString()}`,
      counterNotices: counterNotices.map(({ checklist, ...n }) => ({ ...n, missing: checklist.missing })),
      strikes: await this.strikes(link.case_id, link.email_hash),
    };
  }

  /** The active strikes of the accounts whose links this case removed under the uploader's address. */
  private async strikes(caseId: string, emailHash: string): Promise<UploaderStatusView['strikes']> {
    const accounts = await this.dataSource.query<{ uploader_id: string }[]>(
      `SELECT DISTINCT uploader_id FROM takedowns
       WHERE case_id = $1 AND uploader->>'emailHash' = $2 AND uploader_id IS NOT NULL`,
      [caseId, emailHash],
    );
    if (accounts.length === 0) return null;
    const ids = accounts.map((a) => a.uploader_id);
    const counts = [...(await this.ledger.counts(this.dataSource.manager, ids)).values()];
    const items = await this.dataSource.query<{ case: string; createdAt: Date; expiresAt: Date }[]>(
      `SELECT c.reference AS case, k.created_at AS "createdAt", k.expires_at AS "expiresAt"
       FROM strikes k JOIN cases c ON c.id = k.case_id
       WHERE k.uploader_id = ANY($1::text[]) AND k.voided_at IS NULL AND k.expires_at > $2
       ORDER BY k.expires_at, k.id`,
      [ids, this.ledger.clockNow()],
    );
    const worst = counts.reduce((a, b) => (b.active > a.active ? b : a));
    return {
      active: worst.active,
      threshold: worst.threshold,
      expiryDays: this.ledger.expiryDays,
      status: counts.find((c) => c.status === UploaderStandingStatus.Suspended)?.status ?? worst.status,
      items,
      policyUrl: `${this.app.publicUrl}/policy/repeat-infringers`,
    };
  }
}
