import { type ChildProcess, spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';

/**
 * A redis-server of the test's own on a free port, which the test may stop and start again.
 * The machine's Redis is never touched.
 */
export class ThrowawayRedis {
  private process: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly extraArgs: string[],
  ) {}

  /** `extraArgs`: more redis-server options, e.g. `['--rename-command', 'CONFIG', '']` to act like a managed Redis. */
  static async start(extraArgs: string[] = []): Promise<ThrowawayRedis> {
    const redis = new ThrowawayRedis(await freePort(), extraArgs);
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.process && this.process.exitCode === null) return;
    const child = spawn(
      'redis-server',
      [
        ...['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        ...['--loglevel', 'warning', ...this.extraArgs],
      ],
      { stdio: 'ignore' },
    );
    this.process = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('redis-server did not start')), 10_000);
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
      const poll = (): void => {
        const probe = connect(this.port, '127.0.0.1');
        probe.once('connect', () => {
          probe.end();
          clearTimeout(timer);
          resolve();
        });
        probe.once('error', () => setTimeout(poll, 50));
      };
      poll();
    });
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.removeAllListeners('exit');
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
    this.process = undefined;
  }
}

function freePort(): Promise<number> {
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
