import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { complainantHashes } from '../cases/notice-records';
import { type NotifierConfig, notifierConfig } from '../core/config';
import { PersonalData } from '../core/privacy/personal-data.service';
import { NotifierStatsService } from './notifier-stats.service';

export type BadFaithSignKind =
  'own_uploads' | 'public_licence_pages' | 'many_not_found' | 'restored_before' | 'mostly_rejected';

/** One sign that a notice may misrepresent infringement (17 U.S.C. 512(f)), with what shows it. For a person only. */
export type BadFaithSign =
  | { kind: 'own_uploads'; urls: string[] }
  | { kind: 'public_licence_pages'; urls: string[]; prefixes: string[] }
  | { kind: 'many_not_found'; notFound: number; links: number; share: number; threshold: number }
  | { kind: 'restored_before'; urls: string[]; cases: string[] }
  | { kind: 'mostly_rejected'; rejected: number; sent: number; share: number; threshold: number };

/** How many URLs a sign names at most: the evidence is a sample for a person, not the whole list. */
const EVIDENCE_LIMIT = 20;

/**
 * The signs of a bad-faith notice on a case, derived each time from its links, the catalog, earlier cases and its
 * notifier's record: a notice naming the sender's own uploads, material on the site's public-licence pages, many
 * URLs the site does not have, URLs already restored after a counter-notice, a notifier whose notices are mostly
 * rejected. They are shown to staff and never acted on: routing does not read them.
 */
@Injectable()
export class BadFaithSignsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly vault: PersonalData,
    private readonly stats: NotifierStatsService,
    @Inject(notifierConfig.KEY) private readonly config: NotifierConfig,
  ) {}

  async forCase(caseId: string, m: EntityManager = this.dataSource.manager): Promise<BadFaithSign[]> {
    const signs: BadFaithSign[] = [];
    const own = await this.ownUploads(m, caseId);
    if (own.length > 0) signs.push({ kind: 'own_uploads', urls: own });

    const prefixes = this.config.publicLicencePages;
    if (prefixes.length > 0) {
      const rows = await m.query<{ url: string }[]>(
        `SELECT DISTINCT l.url FROM reported_links l
         LEFT JOIN download_links d ON d.id::text = substring(l.url from '/d/([0-9]+)')
         LEFT JOIN software_pages dp ON dp.id = d.page_id
         WHERE l.case_id = $1 AND l.classification = 'internal'
           AND EXISTS (SELECT 1 FROM unnest($2::text[]) AS pre(p)
                       WHERE starts_with(COALESCE(substring(l.url from '^[a-z]+://[^/]+(/[^?#]*)'), ''), pre.p)
                          OR starts_with('/software/' || dp.slug, pre.p))
         ORDER BY l.url LIMIT $3`,
        [caseId, prefixes, EVIDENCE_LIMIT],
      );
      if (rows.length > 0) signs.push({ kind: 'public_licence_pages', urls: rows.map((r) => r.url), prefixes });
    }

    const [counts] = await m.query<{ links: number; not_found: number }[]>(
      `SELECT count(*)::int AS links, count(*) FILTER (WHERE status = 'not_found')::int AS not_found
       FROM reported_links WHERE case_id = $1 AND role = 'infringing'`,
      [caseId],
    );
    const share = counts.links > 0 ? counts.not_found / counts.links : 0;
    if (counts.links >= this.config.notFoundMinLinks && share > this.config.notFoundShare) {
      signs.push({
        kind: 'many_not_found',
        notFound: counts.not_found,
        links: counts.links,
        share,
        threshold: this.config.notFoundShare,
      });
    }

    const restored = await m.query<{ url: string; reference: string }[]>(
      `SELECT DISTINCT l.url, c.reference FROM reported_links l
       JOIN cases me ON me.id = l.case_id
       JOIN reported_links e ON e.url = l.url AND e.case_id <> l.case_id AND e.status = 'restored'
       JOIN cases c ON c.id = e.case_id AND c.created_at <= me.created_at
       WHERE l.case_id = $1
         AND EXISTS (SELECT 1 FROM audit_events a WHERE a.case_id = e.case_id AND a.action = 'counter_notice.restored')
       ORDER BY l.url, c.reference LIMIT $2`,
      [caseId, EVIDENCE_LIMIT],
    );
    if (restored.length > 0) {
      signs.push({
        kind: 'restored_before',
        urls: [...new Set(restored.map((r) => r.url))],
        cases: [...new Set(restored.map((r) => r.reference))],
      });
    }

    const key = await this.stats.keyOf(caseId, m);
    const past = key ? await this.stats.forKey(key, m, caseId) : null;
    if (past && past.sent >= this.config.rejectedMinNotices && past.rejectedShare > this.config.rejectedShare) {
      signs.push({
        kind: 'mostly_rejected',
        rejected: past.rejected,
        sent: past.sent,
        share: past.rejectedShare,
        threshold: this.config.rejectedShare,
      });
    }
    return signs;
  }

  /**
   * The case's URLs whose uploader is the sender: the address hash of a link's takedown (as the site named its
   * uploader at removal) or of the catalog page it is on, against the complainant's address hashes.
   */
  private async ownUploads(m: EntityManager, caseId: string): Promise<string[]> {
    const hashes = [...(await complainantHashes(m, this.vault, caseId))];
    if (hashes.length === 0) return [];
    const rows = await m.query<{ url: string }[]>(
      `SELECT DISTINCT l.url FROM reported_links l
       LEFT JOIN software_pages p ON l.classification = 'internal'
         AND p.slug = substring(l.url from '/software/([^/?#]+)')
       LEFT JOIN download_links d ON l.classification = 'internal' AND d.id::text = substring(l.url from '/d/([0-9]+)')
       LEFT JOIN software_pages dp ON dp.id = d.page_id
       WHERE l.case_id = $1
         AND (p.uploader_email_hash = ANY($2::text[]) OR dp.uploader_email_hash = ANY($2::text[])
              OR EXISTS (SELECT 1 FROM takedowns t
                         WHERE t.reported_link_id = l.id AND t.uploader->>'emailHash' = ANY($2::text[])))
       ORDER BY l.url LIMIT $3`,
      [caseId, hashes, EVIDENCE_LIMIT],
    );
    return rows.map((r) => r.url);
  }
}
