import * as fs from 'node:fs';
import * as path from 'node:path';
import bundledProviders from './providers.json';

/** A network-disk / file-hosting service that links in notices may point to. */
export interface Provider {
  id: string;
  name: string;
  /** Lower-case hosts; a host matches when it equals one of these or is a subdomain of one. */
  domains: string[];
  copyright: { email?: string; webForm?: string };
  verified: boolean;
  note?: string;
}

export interface ProviderRegistry {
  providers: Provider[];
  byId(id: string): Provider | undefined;
  /** The provider whose domain equals `hostname` or is a parent of it (e.g. `dl.dropboxusercontent.com`). */
  match(hostname: string): Provider | undefined;
}

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
    const c = p.copyright;
    if (!c || typeof c !== 'object') return fail('copyright channel is required');
    const email = c.email?.trim();
    const webForm = c.webForm?.trim();
    if (!email && !webForm) fail('needs at least one copyright channel (copyright.email or copyright.webForm)');
    if (email && !EMAIL_RE.test(email)) fail(`copyright.email ${JSON.stringify(email)} is not an address`);
    if (webForm && !/^https?:\/\/\S+$/.test(webForm))
      fail(`copyright.webForm ${JSON.stringify(webForm)} is not an http(s) URL`);
    if (typeof p.verified !== 'boolean') fail('verified must be true or false');
    if (p.note !== undefined && typeof p.note !== 'string') fail('note must be a string');

    const provider: Provider = {
      id: p.id!,
      name: p.name!,
      domains: [...p.domains!],
      copyright: { ...(email ? { email } : {}), ...(webForm ? { webForm } : {}) },
      verified: p.verified!,
      ...(p.note ? { note: p.note } : {}),
    };
    ids.set(provider.id, provider);
    for (const d of provider.domains) byDomain.set(d, provider);
    providers.push(provider);
  });

  return {
    providers,
    byId: (id) => ids.get(id),
    match(hostname) {
      let host = hostname.toLowerCase();
      if (host.endsWith('.')) host = host.slice(0, -1);
      // Walk up the labels: a.b.example.com, b.example.com, example.com, com.
      for (;;) {
        const hit = byDomain.get(host);
        if (hit) return hit;
        const dot = host.indexOf('.');
        if (dot < 0) return undefined;
        host = host.slice(dot + 1);
      }
    },
  };
}
