import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { chownSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './mail-fixtures';

const run = promisify(execFile);
const BIN = '/usr/lib/postgresql/15/bin';

/**
 * A Postgres cluster of the test's own (initdb into a temporary directory, on a free port), which the test may
 * restart or stop; the machine's Postgres is never touched. Postgres will not run as root, so as root the
 * cluster belongs to the postgres user.
 */
export class ThrowawayPostgres {
  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(): Promise<ThrowawayPostgres> {
    const dir = mkdtempSync(path.join(tmpdir(), 'takedown-pg-'));
    const cluster = new ThrowawayPostgres(await freePort(), dir);
    if (process.getuid?.() === 0) chownSync(dir, ...(await cluster.postgresIds()));
    await cluster.pg('initdb', ['-D', cluster.data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    await cluster.ctl('start');
    return cluster;
  }

  /** The URL of `database` on this cluster. */
  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** pg_ctl restart -m fast: sessions are ended, transactions in flight rolled back, and it comes back at once. */
  async restart(): Promise<void> {
    await this.ctl('restart', ['-m', 'fast']);
  }

  async stop(): Promise<void> {
    await this.ctl('stop', ['-m', 'immediate']).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private get data(): string {
    return path.join(this.dir, 'data');
  }

  private ctl(action: string, extra: string[] = []): Promise<unknown> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
    return this.pg('pg_ctl', [
      '-D',
      this.data,
      '-l',
      path.join(this.dir, 'log'),
      '-o',
      options,
      '-w',
      action,
      ...extra,
    ]);
  }

  private async pg(command: string, args: string[]): Promise<unknown> {
    const bin = path.join(BIN, command);
    return process.getuid?.() === 0 ? run('runuser', ['-u', 'postgres', '--', bin, ...args]) : run(bin, args);
  }

  private async postgresIds(): Promise<[number, number]> {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return [Number(uid.stdout.trim()), Number(gid.stdout.trim())];
  }
}
