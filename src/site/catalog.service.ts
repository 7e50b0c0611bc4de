import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export type DownloadAnswer =
  | { kind: 'missing' }
  | { kind: 'live'; targetUrl: string }
  | { kind: 'removed'; caseReference: string | null; takenDownAt: Date | null; slug: string; title: string }
  /** The page's uploader was terminated under the repeat-infringer policy (`reference`: the decision). */
  | { kind: 'suspended'; reference: string; suspendedAt: Date; slug: string; title: string };

export interface CatalogPageView {
  /** Set when the page's uploader was terminated: the page is hidden and answers 451. */
  suspension?: { reference: string; suspendedAt: Date };
  slug: string;
  title: string;
  description: string;
  live: { id: string; label: string }[];
  removed: number;
}

/** Reads the built-in catalog for its public pages. */
@Injectable()
export class CatalogService {
  constructor(private readonly dataSource: DataSource) {}

  async download(id: string): Promise<DownloadAnswer> {
    if (!/^\d{1,18}$/.test(id)) return { kind: 'missing' };
    const [link] = await this.dataSource.query<
      {
        target_url: string;
        status: string;
        taken_down_case: string | null;
        taken_down_at: Date | null;
        slug: string;
        title: string;
        suspension: string | null;
        suspended_at: Date | null;
      }[]
    >(
      `SELECT l.target_url, l.status, l.taken_down_case, l.taken_down_at, p.slug, p.title,
              s.reference AS suspension, s.suspended_at
       FROM download_links l JOIN software_pages p ON p.id = l.page_id
       LEFT JOIN catalog_suspended_uploaders s ON s.uploader_id = p.uploader_id
       WHERE l.id = $1`,
      [id],
    );
    if (!link) return { kind: 'missing' };
    if (link.suspension) {
      return {
        kind: 'suspended',
        reference: link.suspension,
        suspendedAt: link.suspended_at!,
        slug: link.slug,
        title: link.title,
      };
    }
    if (link.status === 'live') return { kind: 'live', targetUrl: link.target_url };
    return {
      kind: 'removed',
      caseReference: link.taken_down_case,
      takenDownAt: link.taken_down_at,
      slug: link.slug,
      title: link.title,
    };
  }

  async page(slug: string): Promise<CatalogPageView | undefined> {
    const [page] = await this.dataSource.query<
      {
        id: string;
        slug: string;
        title: string;
        description: string;
        suspension: string | null;
        suspended_at: Date | null;
      }[]
    >(
      `SELECT p.id, p.slug, p.title, p.description, s.reference AS suspension, s.suspended_at
       FROM software_pages p LEFT JOIN catalog_suspended_uploaders s ON s.uploader_id = p.uploader_id
       WHERE p.slug = $1`,
      [slug],
    );
    if (!page) return undefined;
    if (page.suspension) {
      const suspension = { reference: page.suspension, suspendedAt: page.suspended_at! };
      return { suspension, slug: page.slug, title: page.title, description: '', live: [], removed: 0 };
    }
    const links = await this.dataSource.query<{ id: string; label: string; status: string }[]>(
      `SELECT id, label, status FROM download_links WHERE page_id = $1 ORDER BY id`,
      [page.id],
    );
    return {
      slug: page.slug,
      title: page.title,
      description: page.description,
      live: links.filter((l) => l.status === 'live').map(({ id, label }) => ({ id, label })),
      removed: links.filter((l) => l.status !== 'live').length,
    };
  }
}
