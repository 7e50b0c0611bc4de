import { Agent, request } from 'node:http';
import { percentile } from './stats';

export interface LoadResult {
  /** Requests answered as expected per second. */
  rate: number;
  p50: number;
  p99: number;
  done: number;
  failed: number;
  /** The first unexpected answer, to say why. */
  firstFailure?: string;
}

/**
 * `connections` clients on keep-alive sockets, each posting `body(n)` to `url` and waiting for the answer before the
 * next, for `ms`. An answer other than `expect` counts as failed and is not in the rate.
 */
export async function postLoad(
  url: string,
  connections: number,
  ms: number,
  body: (n: number) => string,
  expect = 201,
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(url);
  const latencies: number[] = [];
  let failed = 0;
  let firstFailure: string | undefined;
  let n = 0;
  const one = (payload: string): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  const started = performance.now();
  const end = started + ms;
  const client = async (): Promise<void> => {
    while (performance.now() < end) {
      const payload = body(n++);
      const t0 = performance.now();
      try {
        const { status, text } = await one(payload);
        if (status === expect) latencies.push(performance.now() - t0);
        else {
          failed++;
          firstFailure ??= `${status}: ${text.slice(0, 300)}`;
        }
      } catch (error) {
        failed++;
        firstFailure ??= String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, client));
  const elapsed = performance.now() - started;
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    rate: (sorted.length / elapsed) * 1000,
    p50: percentile(sorted, 50) ?? 0,
    p99: percentile(sorted, 99) ?? 0,
    done: sorted.length,
    failed,
    firstFailure,
  };
}

/** The same shape for work that is not HTTP: `connections` loops calling `op(n)` for `ms`. */
export async function opLoad(connections: number, ms: number, op: (n: number) => Promise<void>): Promise<LoadResult> {
  const latencies: number[] = [];
  let n = 0;
  const started = performance.now();
  const end = started + ms;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        await op(n++);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = performance.now() - started;
  const sorted = latencies.sort((a, b) => a - b);
  return {
    rate: (sorted.length / elapsed) * 1000,
    p50: percentile(sorted, 50) ?? 0,
    p99: percentile(sorted, 99) ?? 0,
    done: sorted.length,
    failed: 0,
  };
}
