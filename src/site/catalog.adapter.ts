import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type AppConfig, appConfig } from '../core/config';
import type { SiteAdapter, SiteLink, SitePage, TakedownOutcome } from './site-adapter';
import { ERASED, PersonalData } from '../core/privacy/personal-data.service';
import { appendTo } from '../core/collections';

const REF = 'catalog:';

/** The built-in catalog: software pages at /software/:slug and downloads behind the redirector at /d/:id. */
@Injectable()
export class CatalogAdapter implements SiteAdapter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly vault: PersonalData,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  async findInternal(urls: string[]): Promise<SiteLink[]> {
    const byId = new Map<string, string[]>();
    const bySlug = new Map<string, string[]>();
    for (const url of urls) {
      const target = parseCatalogPath(url);
      if (!target) continue;
      const index = target.kind === 'download' ? byId : bySlug;
      appendTo(index, target.key, url);
    }
    if (byId.size === 0 && bySlug.size === 0) return [];
    const rows: {
      id: string;
      slug: string;
      label: string;
      uploader_email: string | null;
      uploader_id: string | null;
    }[] = await this.dataSource.query(
      // The downloads asked for and those of the pages asked for, each by its index: an OR across the two tables
      // would read the whole catalog for every case.
      `SELECT l.id, p.slug, l.label, p.uploader_email, p.uploader_id
         FROM download_links l JOIN software_pages p ON p.id = l.page_id
       WHERE l.id IN (SELECT unnest($1::bigint[])
                      UNION SELECT d.id FROM download_links d JOIN software_pages s ON s.id = d.page_id
                            WHERE s.slug = ANY($2::text[]))
       ORDER BY l.id`,
      [[...byId.keys()], [...bySlug.keys()]],
    );
    await this.openUploaders(rows);
    return rows.flatMap((r) =>
      [...(byId.get(r.id) ?? []), ...(bySlug.get(r.slug) ?? [])].map((url) => ({
        ref: REF + r.id,
        url,
        label: r.label,
        pageUrl: this.pageUrl(r.slug),
        uploaderEmail: r.uploader_email,
        uploaderId: r.uploader_id,
      })),
    );
  }

  /**
   * The uploaders' addresses, for their letters: a withheld one too (the letter sender holds letters about a withheld
   * person); an erased one reads as none.
   */
  private async openUploaders(rows: { uploader_email: string | null }[]): Promise<void> {
    await this.vault.openRows(this.dataSource.manager, rows, ['uploader_email'], { includeWithheld: true });
    for (const r of rows) if (r.uploader_email === ERASED) r.uploader_email = null;
  }

  async findOutbound(urls: string[]): Promise<SiteLink[]> {
    if (urls.length === 0) return [];
    const rows: {
      id: string;
      target: string;
      slug: string;
      label: string;
      uploader_email: string | null;
      uploader_id: string | null;
    }[] = await this.dataSource.query(
      `SELECT l.id, l.target_url_normalized AS target, p.slug, l.label, p.uploader_email, p.uploader_id
         FROM download_links l JOIN software_pages p ON p.id = l.page_id
         WHERE l.target_url_normalized = ANY($1::text[])`,
      [urls],
    );
    await this.openUploaders(rows);
    return rows.map((r) => ({
      ref: REF + r.id,
      url: r.target,
      label: r.label,
      pageUrl: this.pageUrl(r.slug),
      uploaderEmail: r.uploader_email,
      uploaderId: r.uploader_id,
    }));
  }

  async takeDown(refs: string[], caseReference: string): Promise<Map<string, TakedownOutcome>> {
    const ids = idsOf(refs);
    // A CTE, because TypeORM answers a bare UPDATE ... RETURNING with [rows, count] rather than rows.
    const rows: { id: string }[] = await this.dataSource.query(
      `WITH updated AS (
         UPDATE download_links SET status = 'taken_down', taken_down_case = COALESCE(taken_down_case, $2),
                taken_down_at = COALESCE(taken_down_at, now())
         WHERE id = ANY($1::bigint[]) RETURNING id)
       SELECT id FROM updated`,
      [ids, caseReference],
    );
    const found = new Set(rows.map((r) => REF + r.id));
    return new Map(refs.map((ref) => [ref, found.has(ref) ? 'done' : 'not_found']));
  }

  async stillLive(refs: string[]): Promise<Set<string>> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM download_links WHERE id = ANY($1::bigint[]) AND status = 'live'`,
      [idsOf(refs)],
    );
    return new Set(rows.map((r) => REF + r.id));
  }

  async restore(refs: string[]): Promise<void> {
    await this.dataSource.query(
      `UPDATE download_links SET status = 'live', taken_down_case = NULL, taken_down_at = NULL WHERE id = ANY($1::bigint[])`,
      [idsOf(refs)],
    );
  }

  async searchPages(terms: string[], limit: number): Promise<SitePage[]> {
    const patterns = terms
      .map((t) => t.trim())
      .filter(Boolean)
      .map((t) => `%${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    if (patterns.length === 0) return [];
    const rows: { slug: string; title: string }[] = await this.dataSource.query(
      `SELECT slug, title FROM software_pages p
       WHERE title ILIKE ANY($1::text[])
         AND NOT EXISTS (SELECT 1 FROM catalog_suspended_uploaders s WHERE s.uploader_id = p.uploader_id)
       ORDER BY title LIMIT $2`,
      [patterns, limit],
    );
    return rows.map((r) => ({ slug: r.slug, title: r.title, url: this.pageUrl(r.slug) }));
  }

  async suspendUploader(uploaderId: string, reference: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO catalog_suspended_uploaders (uploader_id, reference) VALUES ($1, $2)
       ON CONFLICT (uploader_id) DO UPDATE SET reference = EXCLUDED.reference`,
      [uploaderId, reference],
    );
  }

  async reinstateUploader(uploaderId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM catalog_suspended_uploaders WHERE uploader_id = $1`, [uploaderId]);
  }

  private pageUrl(slug: string): string {
    return `${this.app.publicUrl}/software/${encodeURIComponent(slug)}`;
  }
}

/** /d/:id is one download; /software/:slug is a page and all its downloads. */
export function parseCatalogPath(url: string): { kind: 'download' | 'page'; key: string } | undefined {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const download = /^\/d\/(\d{1,18})\/?$/.exec(path);
  if (download) return { kind: 'download', key: download[1] };
  const page = /^\/software\/([^/]+)\/?$/.exec(path);
  if (!page) return undefined;
  try {
    return { kind: 'page', key: decodeURIComponent(page[1]) };
  } catch {
    return undefined; // a malformed escape names no page of ours
  }
}

function idsOf(refs: string[]): string[] {
  return refs.filter((r) => r.startsWith(REF)).map((r) => r.slice(REF.length));
}
