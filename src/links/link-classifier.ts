import { domainToASCII } from 'node:url';
import { parse as parseDomain } from 'tldts';
import type { ProviderRegistry } from './provider-registry';

export type LinkClassification = 'internal' | 'external_disk' | 'external_other' | 'invalid';

/**
 * Whether we can act on a link so sorted: one on our own site (a takedown) or a file at a storage provider (a
 * referral, and a takedown of our own links to it). Anything else is recorded and left alone.
 */
export function isActionable(classification: LinkClassification): boolean {
  return classification === 'internal' || classification === 'external_disk';
}

export interface ClassifiedLink {
  /** The normalised href, or for an invalid link the text as written (trimmed). */
  url: string;
  classification: LinkClassification;
  /** Provider id when `external_disk`. */
  provider: string | null;
  /** Why a link is invalid (or a note on an unusual but valid one). */
  reason?: string;
}

export interface ClassifyOptions {
  /** The site's own domains, e.g. ['example.com', 'softhub.test'], any suffix or none; subdomains count as the site. */
  siteDomains: string[];
  registry: ProviderRegistry;
}

/** Longer URLs are `invalid`: browsers and most servers reject them, and they are a cheap way to flood the desk. */
export const MAX_URL_LENGTH = 2048;

export type NormalizeResult = { ok: true; url: string } | { ok: false; reason: string };

const SCHEME_RE = /^([a-z][a-z0-9+.-]*):/i;

/**
 * Normalises a URL as written: WHATWG parsing (which also drops tabs/newlines inside it and default ports, and
 * percent-decodes and IDNA-encodes the host), lower-case punycode host without a trailing dot, no fragment (except
 * hash routes such as `#!/content/1` or `#/results`, which single-page sites use as the page address, and MEGA's
 * `#!id!key` / `#F!id!key` share links); path and query kept as written. A URL written without a scheme gets `http://`: that is what it would have meant when
 * typed into a browser, and a site that serves https redirects to it, while the reverse is not true.
 * Only http and https are accepted.
 */
export function normalizeUrl(raw: string): NormalizeResult {
  const n = normalizeUrlParts(raw);
  return n.ok ? { ok: true, url: n.url } : n;
}

/** `normalizeUrl` plus the parsed host (lower-case punycode, no trailing dot), so callers need not parse again. */
export type NormalizedParts = { ok: true; url: string; hostname: string } | { ok: false; reason: string };

// eslint-disable-next-line no-control-regex -- control characters at the edges are exactly what is trimmed
const EDGE_SPACE_RE = /[\s\u0000-\u001f\u00a0\ufeff]/;

/** `s` without spaces and control characters at either end; a loop, since `[...]+$` is quadratic in a long run. */
function trimEdges(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && EDGE_SPACE_RE.test(s[start])) start++;
  while (end > start && EDGE_SPACE_RE.test(s[end - 1])) end--;
  return s.slice(start, end);
}
const HTTP_SCHEME_RE = /^https?$/i;
// "#!/content/1" and "#/results" are pages of a single-page site; "#!id!key" and "#F!id!key" are MEGA's old share links.
const PAGE_HASH_RE = /^#(?:!|F!|\/)/;

/** Internal: `normalizeUrl` that also returns the host it parsed. Not part of the module's public API. */
export function normalizeUrlParts(raw: string): NormalizedParts {
  // Most URLs start and end with a printable ASCII character: nothing to strip, skip the regex.
  const first = raw.charCodeAt(0);
  const last = raw.charCodeAt(raw.length - 1);
  let text = first > 0x20 && first < 0x7f && last > 0x20 && last < 0x7f ? raw : trimEdges(raw);
  if (!text) return { ok: false, reason: 'empty' };
  if (text.length > MAX_URL_LENGTH) return { ok: false, reason: `longer than ${MAX_URL_LENGTH} characters` };

  const scheme = SCHEME_RE.exec(text);
  // "example.com:8080/x" looks like scheme "example.com"; a real scheme has no dot in it.
  if (text.startsWith('//')) text = `http:${text}`;
  else if (!scheme || scheme[1].includes('.')) text = `http://${text}`;
  else if (!HTTP_SCHEME_RE.test(scheme[1]))
    return { ok: false, reason: `unsupported scheme "${scheme[1].toLowerCase()}:"` };

  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'not a parsable URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, reason: `unsupported scheme "${url.protocol}"` };
  }
  let hostname = url.hostname;
  if (!hostname) return { ok: false, reason: 'no host' };
  if (hostname.endsWith('.')) {
    url.hostname = hostname.replace(/\.+$/, '');
    hostname = url.hostname;
  }
  if (!hostname) return { ok: false, reason: 'no host' };
  // Fragments are dropped, except hash-bang / hash routes ("#!/content/57591", "#/results/1") that name a page.
  // (Only a "#" in the text can start a fragment; an empty one, "x/#", is dropped too.)
  if (text.includes('#')) {
    const hash = url.hash;
    if (!PAGE_HASH_RE.test(hash)) url.hash = '';
  }
  const out = url.href;
  if (out.length > MAX_URL_LENGTH) return { ok: false, reason: `longer than ${MAX_URL_LENGTH} characters` };
  return { ok: true, url: out, hostname };
}

// ---- IP literals -------------------------------------------------------------------------------------------

const IPV4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Why an IPv4 address (dotted quad, as WHATWG serialises every IPv4 form) is not a public unicast address. */
function nonPublicIpv4(a: number, b: number, c: number): string | undefined {
  if (a === 0) return 'unspecified/"this network" IPv4 address';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private IPv4 address';
  if (a === 127) return 'loopback IPv4 address';
  if (a === 169 && b === 254) return 'link-local IPv4 address';
  if (a === 100 && b >= 64 && b <= 127) return 'shared (carrier-grade NAT) IPv4 address';
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return 'reserved IPv4 address';
  if (
    (a === 198 && (b === 18 || b === 19)) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113)
  ) {
    return 'reserved IPv4 address';
  }
  if (a >= 224) return 'multicast/reserved IPv4 address';
  return undefined;
}

function parseIpv6(host: string): number[] | undefined {
  // WHATWG gives the compressed canonical form in brackets, e.g. [::ffff:a00:1]; no embedded dotted quads.
  const inner = host.slice(1, -1);
  const [head, tail] = inner.includes('::') ? inner.split('::') : [inner, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? 0 : 8 - h.length - t.length;
  const groups = [...h, ...Array<string>(fill).fill('0'), ...t].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

function nonPublicIpv6(host: string): string | undefined {
  const g = parseIpv6(host);
  if (!g) return 'unparsable IPv6 address';
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  const v4 = (hi: number, lo: number) => nonPublicIpv4(hi >> 8, hi & 0xff, lo >> 8);
  if (zeroUpTo(8)) return 'unspecified IPv6 address';
  if (zeroUpTo(7) && g[7] === 1) return 'loopback IPv6 address';
  if (zeroUpTo(5) && g[5] === 0xffff) return v4(g[6], g[7]); // IPv4-mapped
  if (zeroUpTo(6)) return v4(g[6], g[7]) ?? 'deprecated IPv4-compatible IPv6 address';
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return v4(g[6], g[7]); // NAT64
  if ((g[0] & 0xfe00) === 0xfc00) return 'unique-local (private) IPv6 address';
  if ((g[0] & 0xffc0) === 0xfe80) return 'link-local IPv6 address';
  if ((g[0] & 0xffc0) === 0xfec0) return 'site-local IPv6 address';
  if ((g[0] & 0xff00) === 0xff00) return 'multicast IPv6 address';
  if (g[0] === 0x2001 && g[1] === 0x0db8) return 'documentation IPv6 address';
  return undefined;
}

// ---- hosts -------------------------------------------------------------------------------------------------

type HostVerdict = { kind: 'invalid'; reason: string } | { kind: 'ip' } | { kind: 'name' };

const hostCache = new Map<string, HostVerdict>();
const HOST_CACHE_MAX = 50_000;

function judgeHost(host: string): HostVerdict {
  const cached = hostCache.get(host);
  if (cached) return cached;
  let verdict: HostVerdict;
  if (host.startsWith('[')) {
    const why = nonPublicIpv6(host);
    verdict = why ? { kind: 'invalid', reason: why } : { kind: 'ip' };
  } else if (IPV4_RE.test(host)) {
    const [a, b, c] = host.split('.').map(Number);
    const why = a > 255 ? 'bad IPv4 address' : nonPublicIpv4(a, b, c);
    verdict = why ? { kind: 'invalid', reason: why } : { kind: 'ip' };
  } else {
    const parsed = parseDomain(host, { extractHostname: false, allowPrivateDomains: false });
    verdict =
      parsed.isIcann && parsed.domain
        ? { kind: 'name' }
        : { kind: 'invalid', reason: `host "${host}" has no public suffix` };
  }
  if (hostCache.size >= HOST_CACHE_MAX) hostCache.clear();
  hostCache.set(host, verdict);
  return verdict;
}

/** Lower-case ASCII (punycode) form of a site domain as configured, without a trailing dot. */
export function normalizeSiteDomain(domain: string): string {
  const d = domain.trim().toLowerCase().replace(/\.+$/, '');
  return domainToASCII(d) || d;
}

const siteDomainCache = new WeakMap<string[], string[]>();
function siteDomainsOf(list: string[]): string[] {
  let out = siteDomainCache.get(list);
  if (!out) {
    out = list.map(normalizeSiteDomain).filter(Boolean);
    siteDomainCache.set(list, out);
  }
  return out;
}

/** True when `host` (already normalised) is one of the site's domains or a subdomain of one. */
export function isSiteHost(host: string, siteDomains: string[]): boolean {
  return siteDomainsOf(siteDomains).some((d) => host === d || host.endsWith(`.${d}`));
}

/** A normalised http(s) URL from its path on (WHATWG always writes a path, at least "/"). */
function pathOf(url: string): string {
  return url.slice(url.indexOf('/', url.indexOf('//') + 2));
}

/**
 * Classifies one URL as written. `internal`: the site's own domain or a subdomain, whatever its suffix (decided on
 * the parsed host, so userinfo, look-alike and suffix tricks do not pass); `external_disk`: a shared file at a provider in the registry (its home, help and pricing pages are
 * `external_other`);
 * `external_other`: any other public host; `invalid`: not http(s), unparsable, too long, a non-public IP or
 * another host without a public suffix.
 */
export function classifyUrl(raw: string, opts: ClassifyOptions): ClassifiedLink {
  return classifyNormalized(raw, normalizeUrlParts(raw), opts);
}

/**
 * Internal: `classifyUrl` for a URL already normalised with `normalizeUrlParts(raw)`, so a caller that also needs
 * the normalised form (e.g. as a de-duplication key) parses it once. Not part of the module's public API.
 */
export function classifyNormalized(raw: string, norm: NormalizedParts, opts: ClassifyOptions): ClassifiedLink {
  if (!norm.ok) return { url: raw.trim(), classification: 'invalid', provider: null, reason: norm.reason };
  const host = norm.hostname;
  // The site's own domains count whatever their suffix (softhub.test, downloads.internal); IP literals never do.
  if (!host.startsWith('[') && !IPV4_RE.test(host) && isSiteHost(host, opts.siteDomains)) {
    return { url: norm.url, classification: 'internal', provider: null };
  }
  const verdict = judgeHost(host);
  if (verdict.kind === 'invalid') {
    // An unusable host: keep the text as written, not the normalised form.
    return { url: raw.trim(), classification: 'invalid', provider: null, reason: verdict.reason };
  }
  const hit = verdict.kind === 'name' ? opts.registry.matchUrl(host, pathOf(norm.url)) : undefined;
  if (hit?.file) return { url: norm.url, classification: 'external_disk', provider: hit.provider.id };
  if (hit) {
    return {
      url: norm.url,
      classification: 'external_other',
      provider: null,
      reason: `${hit.provider.name}'s own page, not a shared file`,
    };
  }
  return { url: norm.url, classification: 'external_other', provider: null };
}
