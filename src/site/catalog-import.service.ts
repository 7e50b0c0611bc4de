import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { normalizeUrl } from '../links';
import { parseCsv } from './csv';
import { DomainError } from '../core/errors';
import { PersonalData } from '../core/privacy/personal-data.service';

/** A catalog file that cannot be imported as it is; the message says which entry and what to fix. */
export class CatalogImportError extends DomainError {
  readonly kind = 'invalid';
}

export interface CatalogEntry {
  slug: string;
  title: string;
  description?: string;
  uploaderEmail?: string | null;
  /** The publisher's account on the site: whom repeat-infringer strikes count against. */
  uploaderId?: string | null;
  links: { id?: string; label?: string; url: string }[];
}

export interface ImportSummary {
  pages: number;
  links: number;
}

const SLUG = /^[a-z0-9][a-z0-9._-]{0,199}$/i;
const UPLOADER_ID = /^[^\s\p{Cc}]{1,200}$/u;

/**
 * Loads software pages and their downloads from JSON (an array of CatalogEntry) or CSV (one row per download:
 * slug,title,description,uploader_email,uploader_id,link_id,link_label,link_url; uploader_id may be left out). Pages are matched by slug and downloads by
 * link_id (the number in /d/:id) when given, so importing the same file twice changes nothing.
 */
@Injectable()
export class CatalogImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly vault: PersonalData,
  ) {}

  parse(content: string, format: 'csv' | 'json'): CatalogEntry[] {
    const entries = format === 'json' ? parseJson(content) : entriesFromCsv(content);
    if (!Array.isArray(entries)) throw new CatalogImportError('A JSON catalog is an array of pages.');
    entries.forEach((e, i) => {
      if (!e || typeof e.slug !== 'string' || !SLUG.test(e.slug)) {
        throw new CatalogImportError(`Entry ${i + 1}: slug must be 1-200 letters, digits, ".", "_" or "-".`);
      }
      if (typeof e.title !== 'string' || !e.title.trim())
        throw new CatalogImportError(`Entry ${i + 1} (${e.slug}): title is required.`);
      if (e.uploaderId !== undefined && e.uploaderId !== null && !UPLOADER_ID.test(String(e.uploaderId))) {
        throw new CatalogImportError(
          `Entry ${i + 1} (${e.slug}): uploaderId must be 1-200 characters without spaces or control characters.`,
        );
      }
      if (!Array.isArray(e.links)) throw new CatalogImportError(`Entry ${i + 1} (${e.slug}): links must be an array.`);
      e.links.forEach((l, j) => {
        if (!l || typeof l.url !== 'string' || !/^https?:\/\//i.test(l.url.trim()) || !normalizeUrl(l.url).ok) {
          throw new CatalogImportError(
            `Entry ${i + 1} (${e.slug}), link ${j + 1}: url must be an absolute http(s) URL.`,
          );
        }
        if (l.id !== undefined && !/^[1-9]\d{0,17}$/.test(String(l.id))) {
          throw new CatalogImportError(
            `Entry ${i + 1} (${e.slug}), link ${j + 1}: id must be a positive whole number.`,
          );
        }
      });
    });
    return entries;
  }

  async import(entries: CatalogEntry[]): Promise<ImportSummary> {
    return this.dataSource.transaction(async (manager) => {
      // The uploader's address is theirs: sealed under their data subject, found by its keyed hash.
      const uploaders = await Promise.all(
        entries.map(async (e) => {
          const email = e.uploaderEmail?.trim() || null;
          if (!email) return { sealed: null, hash: null };
          const subjectId = await this.vault.subject(manager, email);
          return { sealed: await this.vault.seal(manager, subjectId, email), hash: this.vault.hashEmail(email) };
        }),
      );
      const pages: { id: string; slug: string }[] = await manager.query(
        `INSERT INTO software_pages (slug, title, description, uploader_email, uploader_email_hash, uploader_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
         ON CONFLICT (slug) DO UPDATE SET title = EXCLUDED.title, description = EXCLUDED.description,
                                          uploader_email = EXCLUDED.uploader_email,
                                          uploader_email_hash = EXCLUDED.uploader_email_hash,
                                          uploader_id = EXCLUDED.uploader_id
         RETURNING id, slug`,
        [
          entries.map((e) => e.slug),
          entries.map((e) => e.title.trim()),
          entries.map((e) => e.description ?? ''),
          uploaders.map((u) => u.sealed),
          uploaders.map((u) => u.hash),
          entries.map((e) => (e.uploaderId == null ? null : String(e.uploaderId))),
        ],
      );
      const pageId = new Map(pages.map((p) => [p.slug, p.id]));
      const links = entries.flatMap((e) => e.links.map((l) => ({ ...l, pageId: pageId.get(e.slug)! })));
      // Matching uses the normalised form; the redirect keeps the fragment, where some hosts (MEGA) put the file key.
      const normalized = links.map((l) => {
        const n = normalizeUrl(l.url);
        return n.ok ? n.url : l.url;
      });
      const targets = links.map((l) => new URL(l.url.trim()).href);
      const withId = links.map((l, i) => ({ l, i })).filter(({ l }) => l.id);
      const withoutId = links.map((l, i) => ({ l, i })).filter(({ l }) => !l.id);
      if (withId.length > 0) {
        await manager.query(
          `INSERT INTO download_links (id, page_id, label, target_url, target_url_normalized)
           SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::text[], $5::text[])
           ON CONFLICT (id) DO UPDATE SET page_id = EXCLUDED.page_id, label = EXCLUDED.label,
             target_url = EXCLUDED.target_url, target_url_normalized = EXCLUDED.target_url_normalized`,
          [
            withId.map(({ l }) => l.id),
            withId.map(({ l }) => l.pageId),
            withId.map(({ l }) => l.label ?? ''),
            withId.map(({ i }) => targets[i]),
            withId.map(({ i }) => normalized[i]),
          ],
        );
        // Ids we were given must not be handed out again to links imported without one.
        await manager.query(
          `SELECT setval(pg_get_serial_sequence('download_links', 'id'), (SELECT max(id) FROM download_links))`,
        );
      }
      if (withoutId.length > 0) {
        await manager.query(
          `INSERT INTO download_links (page_id, label, target_url, target_url_normalized)
           SELECT n.* FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS n(page_id, label, target_url, target_url_normalized)
           WHERE NOT EXISTS (SELECT 1 FROM download_links d WHERE d.page_id = n.page_id AND d.target_url = n.target_url)`,
          [
            withoutId.map(({ l }) => l.pageId),
            withoutId.map(({ l }) => l.label ?? ''),
            withoutId.map(({ i }) => targets[i]),
            withoutId.map(({ i }) => normalized[i]),
          ],
        );
      }
      return { pages: pages.length, links: links.length };
    });
  }
}

function entriesFromCsv(content: string): CatalogEntry[] {
  let parsed: string[][];
  try {
    parsed = parseCsv(content);
  } catch (error) {
    throw new CatalogImportError(`The CSV cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const [header, ...rows] = parsed;
  if (!header) return [];
  const col = (name: string): number => {
    const i = header.findIndex((h) => h.trim().toLowerCase() === name);
    if (i < 0 && ['slug', 'title', 'link_url'].includes(name)) {
      throw new CatalogImportError(`The CSV header needs a "${name}" column.`);
    }
    return i;
  };
  const [slug, title, description, uploader, uploaderId, linkId, label, url] = [
    'slug',
    'title',
    'description',
    'uploader_email',
    'uploader_id',
    'link_id',
    'link_label',
    'link_url',
  ].map(col);
  const bySlug = new Map<string, CatalogEntry>();
  for (const r of rows) {
    if (r.every((cell) => cell.trim() === '')) continue;
    const get = (i: number): string | undefined => (i >= 0 ? r[i]?.trim() || undefined : undefined);
    const key = get(slug) ?? '';
    let entry = bySlug.get(key);
    if (!entry) {
      entry = {
        slug: key,
        title: get(title) ?? '',
        description: get(description),
        uploaderEmail: get(uploader) ?? null,
        uploaderId: get(uploaderId) ?? null,
        links: [],
      };
      bySlug.set(key, entry);
    }
    entry.links.push({ id: get(linkId), label: get(label), url: get(url) ?? '' });
  }
  return [...bySlug.values()];
}

function parseJson(content: string): CatalogEntry[] {
  try {
    return JSON.parse(content) as CatalogEntry[];
  } catch (error) {
    throw new CatalogImportError(
      `The file is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
