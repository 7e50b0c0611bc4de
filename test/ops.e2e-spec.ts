import { createServer, type AddressInfo } from 'node:net';
import { completeNotice, postJson } from './support/factories';
import { db, type RunningApi, startApi, uniqueId } from './support/harness';

jest.setTimeout(60_000);

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('operations endpoints', () => {
  describe('with Postgres and Redis up', () => {
    let api: RunningApi;
    beforeAll(async () => {
      api = await startApi();
    });
    afterAll(async () => {
      await api?.close();
    });

    // The rest of its answer (SMTP, workers, the outbox) is test/health.e2e-spec.ts's.
    it('/health says both are up', async () => {
      const res = await fetch(`${api.url}/health`);
      expect(await res.json()).toMatchObject({ postgres: 'up', redis: 'up' });
    });

    it('/metrics exposes the metrics, and the case count grows after a notice', async () => {
      const scrape = async (): Promise<string> => {
        const res = await fetch(`${api.url}/metrics`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
        return res.text();
      };
      const sample = (text: string, series: string): number =>
        Number(
          text
            .split('\n')
            .find((l) => l.startsWith(`${series} `))
            ?.split(' ')[1] ?? 0,
        );

      const before = await scrape();
      for (const name of [
        'takedown_desk_notices',
        'takedown_desk_cases',
        'takedown_desk_outbox_backlog',
        'takedown_desk_receipt_to_action_seconds',
        'takedown_desk_receipt_to_action_cases',
        'takedown_desk_redis_up',
        'takedown_desk_queue_jobs',
      ]) {
        expect(before).toContain(`# TYPE ${name} gauge`);
      }
      expect(sample(before, 'takedown_desk_redis_up')).toBe(1);
      expect(before).toMatch(/^takedown_desk_queue_jobs\{queue="cases",state="waiting"\} \d+$/m);
      const res = await postJson(api.url, '/api/v1/notices', completeNotice([`https://example.com/d/${uniqueId()}`]));
      expect(res.status).toBe(201);
      const after = await scrape();
      expect(sample(after, 'takedown_desk_cases{status="received"}')).toBe(
        sample(before, 'takedown_desk_cases{status="received"}') + 1,
      );
      expect(sample(after, 'takedown_desk_notices{channel="api"}')).toBe(
        sample(before, 'takedown_desk_notices{channel="api"}') + 1,
      );
      expect(sample(after, 'takedown_desk_outbox_backlog')).toBeGreaterThan(0);
    });

    it('/metrics counts a case actioned since the last scrape in that very scrape, in both of its series', async () => {
      const client = await db();
      try {
        const read = async (): Promise<{ cases: number; median?: string }> => {
          const text = await (await fetch(`${api.url}/metrics`)).text();
          const line = (series: string): string | undefined =>
            text
              .split('\n')
              .find((l) => l.startsWith(`${series} `))
              ?.split(' ')[1];
          return {
            cases: Number(line('takedown_desk_receipt_to_action_cases')),
            median: line('takedown_desk_receipt_to_action_seconds{quantile="0.5"}'),
          };
        };
        const before = await read();
        const res = await postJson(api.url, '/api/v1/notices', completeNotice([`https://example.com/d/${uniqueId()}`]));
        expect(res.status).toBe(201);
        await client.query(`INSERT INTO audit_events (case_id, actor, action) VALUES ($1, 'test', 'takedowns.done')`, [
          res.body.caseId,
        ]);
        const after = await read();
        expect(after.cases).toBe(before.cases + 1);
        expect(after.median).toBeDefined();
      } finally {
        await client.end();
      }
    });

    it('documents the API with OpenAPI, and lets only the docs pages run their script files', async () => {
      const json = await fetch(`${api.url}/api/docs-json`);
      expect(json.status).toBe(200);
      const doc = (await json.json()) as { openapi: string; paths: Record<string, unknown> };
      expect(doc.openapi).toMatch(/^3\./);
      expect(Object.keys(doc.paths)).toContain('/api/v1/notices');
      expect(Object.keys(doc.paths)).not.toContain('/metrics');

      const ui = await fetch(`${api.url}/api/docs`);
      expect(ui.status).toBe(200);
      expect(await ui.text()).toContain('swagger-ui-bundle.js');
      const docsCsp = ui.headers.get('content-security-policy') ?? '';
      expect(docsCsp).toContain("script-src 'self'");
      expect(docsCsp).not.toMatch(/script-src[^;]*unsafe-inline/);
      const init = await fetch(`${api.url}/api/docs/swagger-ui-init.js`);
      expect(init.status).toBe(200);

      const form = await fetch(`${api.url}/notices/new`);
      expect(form.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(form.headers.get('content-security-policy')).not.toContain('script-src');
    });
  });

  describe('with Redis unreachable', () => {
    let api: RunningApi;
    beforeAll(async () => {
      api = await startApi({ REDIS_URL: `redis://127.0.0.1:${await closedPort()}` });
    });
    afterAll(async () => {
      await api?.close();
    });

    it('/health answers 503 naming Redis, quickly, while notices are still accepted', async () => {
      const started = Date.now();
      const res = await fetch(`${api.url}/health`);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'degraded', postgres: 'up', redis: 'down' });

      const notice = await postJson(
        api.url,
        '/api/v1/notices',
        completeNotice([`https://example.com/d/${uniqueId()}`]),
      );
      expect(notice.status).toBe(201);
    });

    it('/metrics answers quickly, reporting Redis down and no queue depths', async () => {
      const started = Date.now();
      const res = await fetch(`${api.url}/metrics`);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toMatch(/^takedown_desk_redis_up 0$/m);
      expect(text).not.toContain('takedown_desk_queue_jobs{');
      expect(text).toMatch(/^takedown_desk_cases\{status="received"\} \d+$/m);
    });
  });
});
