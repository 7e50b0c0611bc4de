import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { type TakedownConfig, takedownConfig } from '../core/config';
import type { SiteAdapter, SiteLink, SitePage, TakedownOutcome } from './site-adapter';

const ATTEMPTS = 3;
const TIMEOUT_MS = 10_000;

/**
 * An external CMS reached by one signed HTTP call per action. The body is JSON; the headers
 * `X-Takedown-Timestamp` (unix seconds) and `X-Takedown-Signature: sha256=<hex>` carry an HMAC-SHA256 of
 * `<timestamp>.<body>` under SITE_WEBHOOK_SECRET. Failed calls are retried with backoff, then the job retries.
 * An answer that lacks what the action needs is an error too, never read as success: a 200 `{}` to take_down
 * must not mark links removed. A redirect is refused, not followed: it would send the signed body elsewhere.
 */
@Injectable()
export class WebhookAdapter implements SiteAdapter {
  private readonly logger = new Logger(WebhookAdapter.name);

  constructor(@Inject(takedownConfig.KEY) private readonly config: TakedownConfig) {}

  /**
   * The CMS resolves our own URLs itself: each URL is its own ref. `find_internal` asks who published them: an answer
   * with `links` (`{ url, uploaderId?, uploaderEmail?, label?, pageUrl? }`) names the uploaders, whose letters and
   * strikes follow; a CMS that answers without `links` tells us no uploaders, and the URLs stand on their own.
   */
  async findInternal(urls: string[]): Promise<SiteLink[]> {
    if (urls.length === 0) return [];
    const { links } = await this.call('find_internal', { urls });
    const known = new Map<string, SiteLink>();
    if (links !== undefined) {
      if (!Array.isArray(links)) throw new Error('find_internal: the CMS answer\'s "links" is not an array');
      links.forEach((link, i) => {
        const read = siteLink('find_internal', link, i, false);
        known.set(read.url, { ...read, ref: read.url });
      });
    }
    return urls.map((url) => known.get(url) ?? { ref: url, url });
  }

  /** Throws when the answer's `links` is not an array of `{ ref, url }` strings: a malformed entry is not skipped. */
  async findOutbound(urls: string[]): Promise<SiteLink[]> {
    if (urls.length === 0) return [];
    const { links } = await this.call('find_outbound', { urls });
    if (!Array.isArray(links)) throw new Error('find_outbound: the CMS answer has no "links" array');
    return links.map((link, i) => siteLink('find_outbound', link, i, true));
  }

  /** Throws unless the answer's `results` gives 'done' or 'not_found' for every ref, naming the refs it lacks. */
  async takeDown(refs: string[], caseReference: string): Promise<Map<string, TakedownOutcome>> {
    if (refs.length === 0) return new Map();
    const { results } = await this.call('take_down', { refs, caseReference });
    if (!isObject(results)) throw new Error('take_down: the CMS answer has no "results" object');
    const outcomes = new Map<string, TakedownOutcome>();
    const missing: string[] = [];
    for (const ref of refs) {
      const value = Object.hasOwn(results, ref) ? results[ref] : undefined;
      if (value === 'done' || value === 'not_found') outcomes.set(ref, value);
      else missing.push(ref);
    }
    if (missing.length > 0) {
      throw new Error(
        `take_down: the CMS answer has no 'done' or 'not_found' result for ${missing.length} of ${refs.length} ref(s): ${listed(missing)}`,
      );
    }
    return outcomes;
  }

  /** Throws unless the answer's `live` is an array of strings. */
  async stillLive(refs: string[]): Promise<Set<string>> {
    if (refs.length === 0) return new Set();
    const { live } = await this.call('status', { refs });
    if (!Array.isArray(live) || !live.every((ref) => typeof ref === 'string')) {
      throw new Error('status: the CMS answer has no "live" array of refs');
    }
    return new Set(live);
  }

  async restore(refs: string[]): Promise<void> {
    if (refs.length === 0) return;
    await this.call('restore', { refs });
  }

  /** `suspend_uploader`: the CMS hides the uploader's pages and answers 451 for their downloads. */
  async suspendUploader(uploaderId: string, reference: string): Promise<void> {
    await this.call('suspend_uploader', { uploaderId, reference });
  }

  /** `reinstate_uploader`: the way back from suspend_uploader. */
  async reinstateUploader(uploaderId: string): Promise<void> {
    await this.call('reinstate_uploader', { uploaderId });
  }

  /** Throws unless the answer's `pages` is an array of `{ slug, title, url }` strings. */
  async searchPages(terms: string[], limit: number): Promise<SitePage[]> {
    if (terms.length === 0) return [];
    const { pages } = await this.call('search', { terms, limit });
    if (!Array.isArray(pages)) throw new Error('search: the CMS answer has no "pages" array');
    return pages.map((page, i) => {
      if (
        !isObject(page) ||
        typeof page.slug !== 'string' ||
        typeof page.title !== 'string' ||
        typeof page.url !== 'string'
      ) {
        throw new Error(`search: pages[${i}] of the CMS answer is not { slug, title, url } strings`);
      }
      return { slug: page.slug, title: page.title, url: page.url };
    });
  }

  /** The CMS's answer as parsed JSON, unchecked: each action validates what it needs. */
  private async call(action: string, payload: object): Promise<Record<string, unknown>> {
    const body = JSON.stringify({ action, ...payload });
    let lastError: unknown;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const timestamp = Math.floor(Date.now() / 1000).toString();
      try {
        const res = await fetch(this.config.webhook.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-takedown-timestamp': timestamp,
            'x-takedown-signature': `sha256=${signWebhook(this.config.webhook.secret, timestamp, body)}`,
          },
          body,
          // A redirect would re-send the signed body to wherever it points: a 3xx is refused below, not followed.
          redirect: 'manual',
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        if (res.ok) {
          const text = await res.text();
          const answer: unknown = text ? JSON.parse(text) : {};
          if (!isObject(answer)) throw new Error(`${action}: the CMS answer is not a JSON object`);
          return answer;
        }
        if (res.status >= 300 && res.status < 400) {
          await res.body?.cancel();
          // A redirect is the configuration's, not a passing fault: retrying would only be redirected again.
          throw new WebhookRedirectError(action, res.status, res.headers.get('location'));
        }
        lastError = new Error(`${action}: CMS answered ${res.status}`);
        if (res.status >= 400 && res.status < 500 && res.status !== 429) break;
      } catch (error) {
        if (error instanceof WebhookRedirectError) throw error;
        lastError = error;
      }
      this.logger.warn(`Webhook ${action} attempt ${attempt} failed: ${String(lastError)}`);
      if (attempt < ATTEMPTS) await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
    throw lastError instanceof Error ? lastError : new Error(String(lastError));
  }
}

/** The CMS answered a redirect, which is never followed: SITE_WEBHOOK_URL should name where it points. */
export class WebhookRedirectError extends Error {
  constructor(action: string, status: number, location: string | null) {
    super(
      `${action}: CMS answered ${status}, a redirect to ${location ?? '(no Location)'}: redirects are not followed; ` +
        'set SITE_WEBHOOK_URL to the final address',
    );
    this.name = 'WebhookRedirectError';
  }
}

export function signWebhook(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** One link of a CMS answer; `needsRef` where the CMS names its own handle for the link. */
function siteLink(action: string, link: unknown, i: number, needsRef: boolean): SiteLink {
  if (!isObject(link) || typeof link.url !== 'string' || (needsRef && typeof link.ref !== 'string')) {
    throw new Error(
      `${action}: links[${i}] of the CMS answer is not { ${needsRef ? 'ref: string, ' : ''}url: string }`,
    );
  }
  return {
    ref: typeof link.ref === 'string' ? link.ref : link.url,
    url: link.url,
    ...(typeof link.label === 'string' ? { label: link.label } : {}),
    ...(typeof link.pageUrl === 'string' ? { pageUrl: link.pageUrl } : {}),
    ...(typeof link.uploaderEmail === 'string' ? { uploaderEmail: link.uploaderEmail } : {}),
    ...(typeof link.uploaderId === 'string' && link.uploaderId ? { uploaderId: link.uploaderId } : {}),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function listed(refs: string[]): string {
  const shown = refs.slice(0, 5).join(', ');
  return refs.length > 5 ? `${shown} and ${refs.length - 5} more` : shown;
}
