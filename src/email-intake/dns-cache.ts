import type { DNSResolver } from 'mailauth';

export interface DnsCacheOptions {
  /** The longest one lookup may take; then it fails as a DNS timeout (mailauth records a temperror). */
  timeoutMs: number;
  /** How long an answer, or a "no such name / no such record", is kept; 0 keeps nothing. */
  ttlSeconds: number;
  /** Entries kept at most; the oldest go first. */
  maxEntries?: number;
  now?: () => number;
}

/** A "no such name" or "no such record" answer: an answer, and as cacheable as one. */
const NEGATIVE_CODES = new Set(['ENOTFOUND', 'ENODATA']);
/** A negative answer is kept at most this long, so that a record just published is seen soon. */
const NEGATIVE_TTL_CAP_SECONDS = 60;
const DEFAULT_MAX_ENTRIES = 10_000;

type Answer = Awaited<ReturnType<DNSResolver>>;
interface Entry {
  expires: number;
  answer?: Answer;
  error?: Error;
}

/** The error a lookup that took too long fails with: node's own code for it, which mailauth reads as temporary. */
export class DnsTimeoutError extends Error {
  readonly code = 'ETIMEOUT';
  constructor(name: string, rrtype: string, ms: number) {
    super(`DNS ${rrtype} lookup of ${name} timed out after ${ms} ms`);
  }
}

/**
 * SPF, DKIM and DMARC make several lookups per message, mostly of the same few sending domains. This resolver
 * bounds each lookup by a timeout, so that one stalled name server fails one check instead of holding a parse slot,
 * answers repeated names from memory (answers and negative answers; never a timeout or a server failure), and
 * shares one lookup between messages asking the same name at once.
 */
export function cachingResolver(lookup: DNSResolver, options: DnsCacheOptions): DNSResolver {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const cache = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<Answer>>();

  const remember = (key: string, entry: Entry) => {
    if (options.ttlSeconds <= 0) return;
    cache.delete(key);
    cache.set(key, entry);
    if (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
  };

  const resolveOnce = async (name: string, rrtype: string, key: string): Promise<Answer> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const answer = await Promise.race([
        lookup(name, rrtype),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new DnsTimeoutError(name, rrtype, options.timeoutMs)), options.timeoutMs);
        }),
      ]);
      remember(key, { expires: now() + options.ttlSeconds * 1000, answer });
      return answer;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (error instanceof Error && typeof code === 'string' && NEGATIVE_CODES.has(code)) {
        const ttl = Math.min(options.ttlSeconds, NEGATIVE_TTL_CAP_SECONDS);
        remember(key, { expires: now() + ttl * 1000, error });
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };

  return (name, rrtype) => {
    const key = `${rrtype} ${name.toLowerCase()}`;
    const hit = cache.get(key);
    if (hit && hit.expires > now()) return hit.error ? Promise.reject(hit.error) : Promise.resolve(hit.answer!);
    if (hit) cache.delete(key);
    const pending = inFlight.get(key);
    if (pending) return pending;
    const lookupPromise = resolveOnce(name, rrtype, key).finally(() => inFlight.delete(key));
    inFlight.set(key, lookupPromise);
    return lookupPromise;
  };
}
