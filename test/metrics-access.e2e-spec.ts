import { startApi } from './support/harness';
import { freePort } from './support/mail-fixtures';

jest.setTimeout(60_000);

/** Who may scrape /metrics: METRICS_TOKEN asks for a bearer token, METRICS_PORT moves it off the public port. */
describe('metrics access', () => {
  const TOKEN = 'metrics-token-0123456789abcdef';

  it('answers 401 without the token and the metrics with it, new gauges included', async () => {
    const api = await startApi({ METRICS_TOKEN: TOKEN, METRICS_PORT: '' });
    try {
      const refused = await fetch(`${api.url}/metrics`);
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { message: string }).message).toContain('Authorization: Bearer');
      expect((await fetch(`${api.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      const ok = await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(ok.status).toBe(200);
      const body = await ok.text();
      for (const name of [
        'takedown_desk_outbox_oldest_seconds',
        'takedown_desk_overdue_cases',
        'takedown_desk_failed{kind="letters"}',
        'takedown_desk_failed{kind="takedowns"}',
        'takedown_desk_repeat_infringers',
        'takedown_desk_complaints',
      ]) {
        expect(body).toContain(name);
      }
    } finally {
      await api.close();
    }
  });

  it('serves /metrics on METRICS_PORT only', async () => {
    const port = await freePort();
    const api = await startApi({ METRICS_TOKEN: '', METRICS_PORT: String(port), METRICS_HOST: '127.0.0.1' });
    try {
      expect((await fetch(`${api.url}/metrics`)).status).toBe(404);
      const own = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(own.status).toBe(200);
      expect(await own.text()).toContain('takedown_desk_cases');
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(404);
    } finally {
      await api.close();
    }
  });
});
