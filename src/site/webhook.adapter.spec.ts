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
async function cms(failures: number, answer: unknown): Promise<{ server: Server; url: string; calls: Received[] }> {
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

  it.each([301, 302, 303, 307, 308])(
    'refuses a %d redirect, naming it, and sends the signed body nowhere else',
    async (status) => {
      const elsewhere = await cms(0, { results: { 'https://example.com/d/1': 'done' } });
      const redirects: string[] = [];
      const server = createServer((req, res) => {
        redirects.push(String(req.headers['x-takedown-signature']));
        req.resume();
        res.writeHead(status, { location: elsewhere.url }).end();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      try {
        await expect(adapter(url).takeDown(['https://example.com/d/1'], 'DMCA-2026-000001')).rejects.toThrow(
          `take_down: CMS answered ${status}, a redirect to ${elsewhere.url}: redirects are not followed`,
        );
        expect(elsewhere.calls).toHaveLength(0);
        expect(redirects).toHaveLength(1); // a redirect is configuration, not a passing fault: no retry
      } finally {
        server.close();
        elsewhere.server.close();
      }
    },
  );

  it('keeps our own URLs as their own refs, with the uploaders find_internal names', async () => {
    const { server, url, calls } = await cms(0, {
      links: [{ url: 'https://example.com/d/1', uploaderId: 'acct-7', uploaderEmail: 'up@site.test', label: 'v1' }],
    });
    try {
      await expect(adapter(url).findInternal(['https://example.com/d/1', 'https://example.com/d/2'])).resolves.toEqual([
        {
          ref: 'https://example.com/d/1',
          url: 'https://example.com/d/1',
          uploaderId: 'acct-7',
          uploaderEmail: 'up@site.test',
          label: 'v1',
        },
        { ref: 'https://example.com/d/2', url: 'https://example.com/d/2' },
      ]);
      expect(JSON.parse(calls[0].body)).toEqual({
        action: 'find_internal',
        urls: ['https://example.com/d/1', 'https://example.com/d/2'],
      });
    } finally {
      server.close();
    }
  });

  it('reads a find_internal answer without links as no uploaders named', async () => {
    const { server, url } = await cms(0, {});
    try {
      await expect(adapter(url).findInternal(['https://example.com/d/1'])).resolves.toEqual([
        { ref: 'https://example.com/d/1', url: 'https://example.com/d/1' },
      ]);
    } finally {
      server.close();
    }
  });

  it('sends suspend_uploader and reinstate_uploader, signed', async () => {
    const { server, url, calls } = await cms(0, {});
    try {
      await adapter(url).suspendUploader('acct-7', 'TERM-2026-0000ABCD');
      await adapter(url).reinstateUploader('acct-7');
      expect(calls.map((c) => JSON.parse(c.body))).toEqual([
        { action: 'suspend_uploader', uploaderId: 'acct-7', reference: 'TERM-2026-0000ABCD' },
        { action: 'reinstate_uploader', uploaderId: 'acct-7' },
      ]);
      expect(calls[0].signature).toBe(
        `sha256=${signWebhook('test-secret-0123456789', calls[0].timestamp, calls[0].body)}`,
      );
    } finally {
      server.close();
    }
  });

  describe('refuses answers that lack what the action needs', () => {
    const refs = ['https://example.com/d/1', 'https://example.com/d/2'];

    it.each([
      ['no results object', {}, 'take_down: the CMS answer has no "results" object'],
      ['results as an array', { results: ['done'] }, 'take_down: the CMS answer has no "results" object'],
      [
        'a ref left out',
        { results: { 'https://example.com/d/1': 'done' } },
        "no 'done' or 'not_found' result for 1 of 2 ref(s): https://example.com/d/2",
      ],
      [
        'an unknown outcome',
        { results: { 'https://example.com/d/1': 'done', 'https://example.com/d/2': 'maybe' } },
        'for 1 of 2 ref(s): https://example.com/d/2',
      ],
    ])('take_down with %s', async (_, answer, message) => {
      const { server, url } = await cms(0, answer);
      try {
        await expect(adapter(url).takeDown(refs, 'DMCA-2026-000001')).rejects.toThrow(message);
      } finally {
        server.close();
      }
    });

    it.each([
      ['no live array', {}],
      ['live as an object', { live: { 'https://example.com/d/1': true } }],
      ['live with a non-string', { live: ['https://example.com/d/1', 2] }],
    ])('status with %s', async (_, answer) => {
      const { server, url } = await cms(0, answer);
      try {
        await expect(adapter(url).stillLive(refs)).rejects.toThrow('status: the CMS answer has no "live" array');
      } finally {
        server.close();
      }
    });

    it.each([
      ['no links array', {}, 'find_outbound: the CMS answer has no "links" array'],
      [
        'a link without a url',
        { links: [{ ref: 'page-1', url: 'https://mega.nz/file/a' }, { ref: 'page-2' }] },
        'find_outbound: links[1] of the CMS answer is not { ref: string, url: string }',
      ],
    ])('find_outbound with %s', async (_, answer, message) => {
      const { server, url } = await cms(0, answer);
      try {
        await expect(adapter(url).findOutbound(['https://mega.nz/file/a'])).rejects.toThrow(message);
      } finally {
        server.close();
      }
    });

    it.each([
      ['links that are not an array', { links: {} }, 'find_internal: the CMS answer\'s "links" is not an array'],
      ['a link without a url', { links: [{ uploaderId: 'acct-7' }] }, 'find_internal: links[0] of the CMS answer'],
    ])('find_internal with %s', async (_, answer, message) => {
      const { server, url } = await cms(0, answer);
      try {
        await expect(adapter(url).findInternal(['https://example.com/d/1'])).rejects.toThrow(message);
      } finally {
        server.close();
      }
    });

    it.each([
      ['no pages array', {}, 'search: the CMS answer has no "pages" array'],
      ['a page without a title', { pages: [{ slug: 'a', url: 'https://example.com/a' }] }, 'search: pages[0]'],
    ])('search with %s', async (_, answer, message) => {
      const { server, url } = await cms(0, answer);
      try {
        await expect(adapter(url).searchPages(['Acme'], 10)).rejects.toThrow(message);
      } finally {
        server.close();
      }
    });

    it('an answer that is not a JSON object', async () => {
      const { server, url, calls } = await cms(0, ['done']);
      try {
        await expect(adapter(url).stillLive(refs)).rejects.toThrow('status: the CMS answer is not a JSON object');
        expect(calls).toHaveLength(3);
      } finally {
        server.close();
      }
    });
  });

  it('reads well-formed answers of every action', async () => {
    const links = [{ ref: 'page-7', url: 'https://mega.nz/file/a', label: 'Mirror' }];
    const pages = [{ slug: 'acme', title: 'Acme Studio', url: 'https://example.com/software/acme' }];
    const { server, url } = await cms(0, { links, pages, live: ['https://example.com/d/1'] });
    try {
      const site = adapter(url);
      await expect(site.findOutbound(['https://mega.nz/file/a'])).resolves.toEqual(links);
      await expect(site.searchPages(['Acme'], 10)).resolves.toEqual(pages);
      await expect(site.stillLive(['https://example.com/d/1', 'https://example.com/d/2'])).resolves.toEqual(
        new Set(['https://example.com/d/1']),
      );
    } finally {
      server.close();
    }
  });

  it('makes no call when there is nothing to ask', async () => {
    const { server, url, calls } = await cms(0, {});
    try {
      const site = adapter(url);
      await expect(site.takeDown([], 'DMCA-2026-000001')).resolves.toEqual(new Map());
      await expect(site.stillLive([])).resolves.toEqual(new Set());
      await expect(site.findOutbound([])).resolves.toEqual([]);
      await expect(site.searchPages([], 10)).resolves.toEqual([]);
      expect(calls).toHaveLength(0);
    } finally {
      server.close();
    }
  });
});
