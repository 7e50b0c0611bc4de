import type { Client } from 'pg';
import { uniqueId } from './harness';

export interface CatalogFixture {
  slug: string;
  title: string;
  downloads: { id: string; targetUrl: string }[];
}

/** A catalog page with downloads of its own, under ids no other test uses. */
export async function createCatalogPage(
  client: Client,
  options: { title?: string; targets?: string[]; uploaderEmail?: string; uploaderId?: string } = {},
): Promise<CatalogFixture> {
  const n = uniqueId();
  const slug = `app-${n}`;
  const title = options.title ?? `Test App ${n}`;
  const targets = options.targets ?? [`https://files.example-mirror.org/app-${n}.zip`];
  const { rows } = await client.query(
    `INSERT INTO software_pages (slug, title, uploader_email, uploader_id) VALUES ($1, $2, $3, $4) RETURNING id`,
    [slug, title, options.uploaderEmail ?? null, options.uploaderId ?? null],
  );
  const downloads = targets.map((targetUrl, i) => ({ id: String(n + i), targetUrl }));
  await client.query(
    `INSERT INTO download_links (id, page_id, label, target_url, target_url_normalized)
     SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::text[], $4::text[])`,
    [
      downloads.map((d) => d.id),
      downloads.map(() => rows[0].id),
      downloads.map((_, i) => `Download ${i + 1}`),
      targets,
    ],
  );
  return { slug, title, downloads };
}

/** A complete structured notice for the given URLs. */
export function completeNotice(urls: string[], overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    complainant: {
      name: 'Jane Roe',
      email: 'jane@rights-holder.example.org',
      role: 'agent',
      ownerName: 'Acme Software Ltd',
    },
    work: { description: 'Acme Studio 5, a proprietary photo editor', url: 'https://acme-software.com/studio' },
    infringingUrls: urls,
    searchTerms: ['Acme Studio'],
    goodFaith: true,
    perjury: true,
    signature: 'Jane Roe',
    ...overrides,
  };
}

/** A complete notice from a complainant of the test's own, so that the test can find its cases by that address. */
export function completeNoticeFrom(
  email: string,
  urls: string[],
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return completeNotice(urls, {
    complainant: { name: 'Jane Roe', email, role: 'agent', ownerName: 'Acme Software Ltd' },
    ...overrides,
  });
}

export async function postJson(
  baseUrl: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(baseUrl + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, body: parsed, headers: res.headers };
}
