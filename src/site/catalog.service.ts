import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export type DownloadAnswer =
  | { kind: 'missing' }
  | { kind: 'live'; targetUrl: string }
  | { kind: 'removed'; caseReference: string | null; takenDownAt: Date | null; slug: string; title: string };

export interface CatalogPageView {
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
      }[]
    >(
      `SELECT l.target_url, l.status, l.taken_down_case, l.taken_down_at, p.slug, p.title
       FROM download_links l JOIN software_pages p ON p.id = l.page_id WHERE l.id = $1`,
      [id],
    );
    if (!link) return { kind: 'missing' };
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
    const [page] = await this.dataSource.query<{ id: string; slug: string; title: string; description: string }[]>(
      `SELECT id, slug, title, description FROM software_pages WHERE slug = $1`,
      [slug],
    );
    if (!page) return undefined;
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
