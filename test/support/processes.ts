import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { applyTestEnv } from './env';

const ROOT = path.join(__dirname, '..', '..');

/**
 * The API or the worker as production runs it, in a process of its own (`node dist/src/main.js` or `worker.js`), so
 * that a test can kill it for real: SIGKILL mid-work, or SIGTERM for an orderly stop. It runs the last build
 * (`npm run build`; .ci/run builds before the tests). Its output goes to test-output/<name>.log.
 */
export class AppProcess {
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private output = '';

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Starts `entry` with the test settings plus `env`, and waits until it logs `ready`. */
  static async start(
    name: string,
    entry: 'main' | 'worker',
    env: Record<string, string>,
    ready: RegExp,
    timeoutMs = 30_000,
  ): Promise<AppProcess> {
    const script = path.join(ROOT, 'dist', 'src', `${entry}.js`);
    if (!existsSync(script)) throw new Error(`${script} is missing: run npm run build before the fault tests`);
    applyTestEnv({ LOG_LEVEL: 'log', ...env });
    mkdirSync(path.join(ROOT, 'test-output'), { recursive: true });
    const log = createWriteStream(path.join(ROOT, 'test-output', `${name}.log`), { flags: 'a' });
    const child = spawn(process.execPath, [script], { env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const app = new AppProcess(name, child);
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on('data', (chunk: Buffer) => {
        log.write(chunk);
        // Only the tail is kept, for readiness and for the error message should the process die.
        app.output = (app.output + chunk.toString('utf8')).slice(-20_000);
      });
    }
    child.once('exit', () => log.end());
    const deadline = Date.now() + timeoutMs;
    while (!ready.test(app.output)) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`${name} exited before it was ready:\n${app.output.slice(-3000)}`);
      }
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`${name} was not ready within ${timeoutMs} ms:\n${app.output.slice(-3000)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return app;
  }

  /** The worker, ready once Nest has booted it. */
  static worker(name: string, env: Record<string, string>): Promise<AppProcess> {
    return AppProcess.start(name, 'worker', env, /Takedown Desk worker started/);
  }

  /** The API on `port`, ready once it listens. */
  static api(name: string, port: number, env: Record<string, string>): Promise<AppProcess> {
    return AppProcess.start(name, 'main', { ...env, PORT: String(port) }, /API listening on port/);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** What it printed lately. */
  get log(): string {
    return this.output;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** How it ended, once it has. */
  exit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exited;
  }

  /** SIGKILL, and waits for the process to be gone. */
  async kill(): Promise<void> {
    this.signal('SIGKILL');
    await this.exited;
  }
}
