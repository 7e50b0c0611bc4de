import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TakedownConfig } from '../core/config';
import { signWebhook, WebhookAdapter } from './webhook.adapter';

interface Received {
  body: string;
  timestamp: string;
  signature: string;
}

/** A real HTTP server standing in for the CMS; it fails the first `failures` calls with 503. */
async function cms(failures: number, answer: object): Promise<{ server: Server; url: string; calls: Received[] }> {
  const calls: Received[] = [];
  let left = failures;
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      calls.push({
        body,
        timestamp: String(req.headers['x-takedown-timestamp']),
        signature: String(req.headers['x-takedown-signature']),
      });
      if (left-- > 0) {
        res.writeHead(503).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, calls };
}

function adapter(url: string): WebhookAdapter {
  const config = { webhook: { url, secret: 'test-secret-0123456789' } } as TakedownConfig;
  return new WebhookAdapter(config);
}

describe('WebhookAdapter', () => {
  it('signs each call with an HMAC of the timestamp and body', async () => {
    const { server, url, calls } = await cms(0, {
      results: { 'https://example.com/d/1': 'done', 'https://example.com/d/2': 'not_found' },
    });
    try {
      const outcome = await adapter(url).takeDown(
        ['https://example.com/d/1', 'https://example.com/d/2'],
        'DMCA-2026-000001',
      );
      expect([...outcome]).toEqual([
        ['https://example.com/d/1', 'done'],
        ['https://example.com/d/2', 'not_found'],
      ]);
      expect(calls).toHaveLength(1);
      const [call] = calls;
      expect(JSON.parse(call.body)).toEqual({
        action: 'take_down',
        refs: ['https://example.com/d/1', 'https://example.com/d/2'],
        caseReference: 'DMCA-2026-000001',
      });
      expect(call.signature).toBe(`sha256=${signWebhook('test-secret-0123456789', call.timestamp, call.body)}`);
      expect(call.signature).not.toBe(`sha256=${signWebhook('another-secret-0123456', call.timestamp, call.body)}`);
    } finally {
      server.close();
    }
  });

  it('retries a failed call, then succeeds', async () => {
    const { server, url, calls } = await cms(2, { live: [] });
    try {
      await expect(adapter(url).stillLive(['https://example.com/d/1'])).resolves.toEqual(new Set());
      expect(calls).toHaveLength(3);
    } finally {
      server.close();
    }
  });

  it('gives up after its attempts so that the job can retry later', async () => {
    const { server, url, calls } = await cms(10, {});
    try {
      await expect(adapter(url).restore(['https://example.com/d/1'])).rejects.toThrow('CMS answered 503');
      expect(calls).toHaveLength(3);
    } finally {
      server.close();
    }
  });

  it('treats our own URLs as their own refs without a call', async () => {
    await expect(adapter('http://127.0.0.1:9/never').findInternal(['https://example.com/d/1'])).resolves.toEqual([
      { ref: 'https://example.com/d/1', url: 'https://example.com/d/1' },
    ]);
  });
});
