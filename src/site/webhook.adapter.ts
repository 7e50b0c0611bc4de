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
 */
@Injectable()
export class WebhookAdapter implements SiteAdapter {
  private readonly logger = new Logger(WebhookAdapter.name);

  constructor(@Inject(takedownConfig.KEY) private readonly config: TakedownConfig) {}

  /** The CMS resolves our own URLs itself: each URL is its own ref. */
  findInternal(urls: string[]): Promise<SiteLink[]> {
    return Promise.resolve(urls.map((url) => ({ ref: url, url })));
  }

  async findOutbound(urls: string[]): Promise<SiteLink[]> {
    if (urls.length === 0) return [];
    const answer = await this.call<{ links?: SiteLink[] }>('find_outbound', { urls });
    return answer.links ?? [];
  }

  async takeDown(refs: string[], caseReference: string): Promise<Map<string, TakedownOutcome>> {
    const answer = await this.call<{ results?: Record<string, TakedownOutcome> }>('take_down', { refs, caseReference });
    return new Map(refs.map((ref) => [ref, answer.results?.[ref] ?? 'done']));
  }

  async stillLive(refs: string[]): Promise<Set<string>> {
    const answer = await this.call<{ live?: string[] }>('status', { refs });
    return new Set(answer.live ?? []);
  }

  async restore(refs: string[]): Promise<void> {
    await this.call('restore', { refs });
  }

  async searchPages(terms: string[], limit: number): Promise<SitePage[]> {
    const answer = await this.call<{ pages?: SitePage[] }>('search', { terms, limit });
    return answer.pages ?? [];
  }

  private async call<T>(action: string, payload: object): Promise<T> {
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
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        if (res.ok) {
          const text = await res.text();
          return (text ? JSON.parse(text) : {}) as T;
        }
        lastError = new Error(`${action}: CMS answered ${res.status}`);
        if (res.status >= 400 && res.status < 500 && res.status !== 429) break;
      } catch (error) {
        lastError = error;
      }
      this.logger.warn(`Webhook ${action} attempt ${attempt} failed: ${String(lastError)}`);
      if (attempt < ATTEMPTS) await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
    throw lastError instanceof Error ? lastError : new Error(String(lastError));
  }
}

export function signWebhook(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}
