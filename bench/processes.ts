import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import * as path from 'node:path';
import { Client } from 'pg';
import { projectRoot } from '../src/core/paths';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function waitForPort(port: number, child: ChildProcess, what: string, timeoutMs = 30_000): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const poll = (): void => {
      if (child.exitCode !== null) return reject(new Error(`${what} exited with code ${child.exitCode}`));
      if (Date.now() > deadline) return reject(new Error(`${what} did not listen on ${port} within ${timeoutMs} ms`));
      const probe = connect(port, '127.0.0.1');
      probe.once('connect', () => {
        probe.end();
        resolve();
      });
      probe.once('error', () => setTimeout(poll, 50));
    };
    poll();
  });
}

const started = new Set<ChildProcess>();
// Whatever way a figure script ends, the processes it started end with it.
process.on('exit', () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** A process the bench started, stopped by its own pid only. */
export class Child {
  constructor(
    readonly process: ChildProcess,
    readonly port: number,
  ) {
    started.add(process);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Resident and peak resident memory, in bytes, from /proc (Linux). */
  memory(): { rss: number; hwm: number } {
    const status = readFileSync(`/proc/${this.process.pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  }

  /** Resets the peak (VmHWM) to the current resident size, so that the next peak is the next piece of work's. */
  resetPeak(): void {
    try {
      writeFileSync(`/proc/${this.process.pid}/clear_refs`, '5');
    } catch {
      // Not allowed here: the peak then includes the start-up, and the caller measures from a fresh process.
    }
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}

/** A built entry point (dist/...) in a process of its own, waited for until it listens on `port` (0: not waited for). */
export async function startNode(
  script: string,
  env: Record<string, string>,
  port: number,
  what: string,
  args: string[] = [],
): Promise<Child> {
  const child = spawn(process.execPath, [...args, path.join(projectRoot(), script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const node = new Child(child, port);
  // A process that listens on nothing (the worker, with its SMTP listener off) is not waited for.
  if (port !== 0) await waitForPort(port, child, what);
  return node;
}

/** A redis-server of the bench's own on a free port: the machine's Redis is never flushed or measured. */
export async function startRedis(): Promise<Child> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
    { stdio: 'ignore' },
  );
  const redis = new Child(child, port);
  await waitForPort(port, child, 'redis-server');
  return redis;
}

export const redisUrl = (redis: Child): string => `redis://127.0.0.1:${redis.port}`;

/** Every table a figure writes, emptied (audit_events refuses TRUNCATE; as the superuser, its triggers step aside). */
export async function emptyDatabase(db: Client): Promise<void> {
  const { rows } = await db.query<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations'`,
  );
  await db.query(
    `BEGIN; SET LOCAL session_replication_role = replica;
     TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(', ')} CASCADE; COMMIT;`,
  );
}

export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function connectDb(url: string): Promise<Client> {
  const db = new Client({ connectionString: url });
  await db.connect();
  return db;
}

/** Settings every figure starts from: limits out of the way, every notice acted on, logs quiet. */
export function baseEnv(databaseUrl: string, redis: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis,
    QUEUE_PREFIX: 'bench',
    SITE_DOMAINS: 'example.com',
    SITE_NAME: 'Example Software',
    PUBLIC_URL: 'http://127.0.0.1:3000',
    AGENT_NAME: 'Example DMCA Agent',
    AGENT_EMAIL: 'dmca@example.com',
    AUTO_ACTION_STANDINGS: 'trusted_flagger,agency,verified,anonymous',
    AUTO_ACTION_MAX_URLS: '100000',
    PAGE_TAKEDOWN_MAX_DOWNLOADS: '100000',
    RECONCILE_EVERY_SECONDS: '86400',
    API_RATE_LIMIT: '1000000',
    API_SENDER_RATE_LIMIT: '1000000',
    FORM_RATE_LIMIT: '1000000',
    AGENCY_RATE_LIMIT: '1000000',
    SMTP_RATE_LIMIT: '1000000',
    SMTP_SENDER_RATE_LIMIT: '1000000',
    LETTER_CAP_PER_RECIPIENT: '10000',
    LOG_LEVEL: 'error',
  };
}
