import * as fs from 'node:fs';
import * as path from 'node:path';
import bundledProviders from './providers.json';

/** A network-disk / file-hosting service that links in notices may point to. */
export interface Provider {
  id: string;
  name: string;
  /** Lower-case hosts; a host matches when it equals one of these or is a subdomain of one. */
  domains: string[];
  /** Where copyright notices go; empty when the provider publishes none (`"copyright": null` in the file). */
  copyright: { email?: string; webForm?: string };
  /**
   * Patterns (regular expressions, case-insensitive) over a URL's path, query and page hash (`/s/1abc?pwd=x`) that
   * name a shared file or folder; a URL matching one is a file even at the root (`/?abc`, `/#!abc`).
   */
  files: string[];
  verified: boolean;
  note?: string;
}

/** A provider host matched by a URL, and whether the URL names a file rather than one of the provider's own pages. */
export interface ProviderMatch {
  provider: Provider;
  file: boolean;
}

export interface ProviderRegistry {
  providers: Provider[];
  byId(id: string): Provider | undefined;
  /** The provider whose domain equals `hostname` or is a parent of it (e.g. `dl.dropboxusercontent.com`). */
  match(hostname: string): Provider | undefined;
  /**
   * The provider of a normalised URL's host (lower-case, no trailing dot), and whether `rest` (the URL from its path
   * on: `/file/abc?x#!y`) names a shared file. A URL matching one of the provider's `files` shapes is a file; the
   * root page, the provider's own pages (`/help`, `/premium.html`, `/dmca`) and its help, blog or status subdomains
   * are not; any other path is taken for a file, since a locker's shapes change faster than this list.
   */
  matchUrl(hostname: string, rest: string): ProviderMatch | undefined;
}

// First path segments (before any extension) of a locker's own pages: English, then the French of 1fichier and its
// mirrors, transliterated Russian and pinyin; "drive", "disk", "client" and "upload" are the signed-in user's own
// drive and the upload form.
const SITE_PAGES = new Set(
  [
    'help faq faqs about about-us aboutus terms tos terms-of-service terms-of-use terms_of_service terms-and-conditions',
    'privacy privacy-policy legal dmca abuse report report-abuse copyright contact contact-us contacts support',
    'login signin sign-in logout signup sign-up register registration join account my-account settings',
    'premium pricing plans prices price upgrade buy payment checkout affiliate affiliates partners reseller resellers',
    'blog news docs developers developer api jobs careers press features apps app mobile desktop tour security status',
    'pages page info policy policies rules feedback forgot reset-password password business enterprise team teams',
    'home index main download-app downloads-app tools extension extensions article articles',
    'drive my-drive mydrive disk client dashboard panel upload',
    'abus cgu cgv tarifs aide mentions-legales offres',
    'pravila kontakty pomosch',
    'bangzhu guanyu xieyi',
  ]
    .join(' ')
    .split(' '),
);
// Subdomains that are a provider's own pages, never a share.
const SITE_SUBDOMAINS = new Set(
  (
    'help support blog status docs developers developer about legal community forum forums news faq jobs careers ' +
    'press ir investors shop store kb wiki mail webmail accounts account login auth passport sso'
  ).split(' '),
);

export class ProviderRegistryError extends Error {
  override name = 'ProviderRegistryError';
}

const DOMAIN_RE = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Where the default registry file lives. `providers.json` is imported below, so `tsc` copies it next to the
 * compiled module (dist/src/links/providers.json); the source path is the fallback for other build setups.
 */
function defaultRegistryFile(): string | undefined {
  const candidates = [
    path.join(__dirname, 'providers.json'),
    path.resolve(__dirname, '../../../src/links/providers.json'),
    path.resolve(process.cwd(), 'src/links/providers.json'),
  ];
  return candidates.find((f) => fs.existsSync(f));
}

/**
 * Loads and validates the provider registry. Without `file`, reads `providers.json` beside this module (falling
 * back to the copy bundled at build time). Throws a `ProviderRegistryError` naming the bad entry.
 */
export function loadProviderRegistry(file?: string): ProviderRegistry {
  let data: unknown;
  const source = file ?? defaultRegistryFile();
  if (source) {
    try {
      data = JSON.parse(fs.readFileSync(source, 'utf8'));
    } catch (err) {
      throw new ProviderRegistryError(`cannot read provider registry ${source}: ${(err as Error).message}`);
    }
  } else {
    data = bundledProviders;
  }
  return createProviderRegistry(data, source ?? 'bundled providers.json');
}

/** Validates plain data (an array of providers, or `{ providers: [...] }`) and builds a registry over it. */
export function createProviderRegistry(data: unknown, source = 'provider registry'): ProviderRegistry {
  const list = Array.isArray(data) ? data : (data as { providers?: unknown } | null)?.providers;
  if (!Array.isArray(list)) throw new ProviderRegistryError(`${source}: expected an array of providers`);

  const providers: Provider[] = [];
  const ids = new Map<string, Provider>();
  const byDomain = new Map<string, Provider>();
  const shapesOf = new Map<Provider, RegExp[]>();
  list.forEach((raw: unknown, i) => {
    const p = raw as Partial<Provider> | null;
    const label = `${source}: provider #${i}${p && typeof p.id === 'string' ? ` "${p.id}"` : ''}`;
    const fail = (msg: string): never => {
      throw new ProviderRegistryError(`${label}: ${msg}`);
    };
    if (!p || typeof p !== 'object') return fail('not an object');
    if (typeof p.id !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(p.id)) fail('id must be a lower-case slug');
    if (ids.has(p.id!)) fail('duplicate id');
    if (typeof p.name !== 'string' || !p.name.trim()) fail('name is required');
    if (!Array.isArray(p.domains) || p.domains.length === 0) fail('domains must be a non-empty array');
    for (const d of p.domains!) {
      if (typeof d !== 'string' || d !== d.toLowerCase()) fail(`domain ${JSON.stringify(d)} must be lower-case`);
      if (!DOMAIN_RE.test(d)) fail(`domain ${JSON.stringify(d)} is not a bare host name (no scheme, path or port)`);
      const other = byDomain.get(d);
      if (other) fail(`domain ${d} is already listed under "${other.id}"`);
    }
    const c = p.copyright as Provider['copyright'] | null | undefined;
    if (c === undefined || (c !== null && typeof c !== 'object'))
      return fail('copyright is required: { email and/or webForm }, or null when the provider publishes none');
    const email = c?.email?.trim();
    const webForm = c?.webForm?.trim();
    if (c && !email && !webForm)
      fail('needs at least one copyright channel (copyright.email or copyright.webForm), or copyright: null');
    if (c === null && !/no public (?:copyright |abuse )?channel/i.test(p.note ?? ''))
      fail('copyright: null needs a note saying that no public channel is known');
    if (email && !EMAIL_RE.test(email)) fail(`copyright.email ${JSON.stringify(email)} is not an address`);
    if (webForm && !/^https?:\/\/\S+$/.test(webForm))
      fail(`copyright.webForm ${JSON.stringify(webForm)} is not an http(s) URL`);
    if (typeof p.verified !== 'boolean') fail('verified must be true or false');
    if (p.note !== undefined && typeof p.note !== 'string') fail('note must be a string');
    const files = p.files ?? [];
    if (!Array.isArray(files)) fail('files must be an array of patterns');
    const shapes = files.map((f) => {
      if (typeof f !== 'string' || !f.startsWith('^/')) fail(`files pattern ${JSON.stringify(f)} must start with ^/`);
      try {
        return new RegExp(f, 'i');
      } catch (err) {
        return fail(`files pattern ${JSON.stringify(f)} is not a regular expression: ${(err as Error).message}`);
      }
    });

    const provider: Provider = {
      id: p.id!,
      name: p.name!,
      domains: [...p.domains!],
      copyright: { ...(email ? { email } : {}), ...(webForm ? { webForm } : {}) },
      files: [...files],
      verified: p.verified!,
      ...(p.note ? { note: p.note } : {}),
    };
    shapesOf.set(provider, shapes);
    ids.set(provider.id, provider);
    for (const d of provider.domains) byDomain.set(d, provider);
    providers.push(provider);
  });

  /** The provider and the listed domain `host` equals or is a subdomain of. */
  const lookup = (hostname: string): { provider: Provider; domain: string } | undefined => {
    let host = hostname.toLowerCase();
    if (host.endsWith('.')) host = host.slice(0, -1);
    // Walk up the labels: a.b.example.com, b.example.com, example.com, com.
    for (;;) {
      const hit = byDomain.get(host);
      if (hit) return { provider: hit, domain: host };
      const dot = host.indexOf('.');
      if (dot < 0) return undefined;
      host = host.slice(dot + 1);
    }
  };

  return {
    providers,
    byId: (id) => ids.get(id),
    match: (hostname) => lookup(hostname)?.provider,
    matchUrl(hostname, rest) {
      const hit = lookup(hostname);
      if (!hit) return undefined;
      const { provider, domain } = hit;
      if (shapesOf.get(provider)!.some((re) => re.test(rest))) return { provider, file: true };
      const host = hostname.toLowerCase().replace(/\.$/, '');
      if (host !== domain && SITE_SUBDOMAINS.has(host.slice(0, host.indexOf('.')))) return { provider, file: false };
      const first = /^\/([^/?#]*)/.exec(rest)?.[1] ?? '';
      const page = first.toLowerCase().replace(/\.(?:html?|php|aspx?|jsp)$/, '');
      return { provider, file: !(page === '' || SITE_PAGES.has(page)) };
    },
  };
}
