import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { freePort } from './mail-fixtures';

const DOVECOT = '/usr/sbin/dovecot';

/** Debian's dovecot-imapd, installed on first use; `apt-get update` only when the first try fails. */
function ensureInstalled(): void {
  if (existsSync(DOVECOT)) return;
  const install = (): void => {
    execFileSync('apt-get', ['install', '-y', '-qq', 'dovecot-imapd'], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      stdio: 'ignore',
    });
  };
  try {
    install();
  } catch {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
    install();
  }
}

/**
 * A dovecot of the test's own: its config, sockets, state and mail all under a temp dir, IMAP (plain, no TLS) on a
 * free port of 127.0.0.1, one throw-away user. The system's dovecot service is never touched.
 */
export class ThrowawayDovecot {
  readonly user = 'intake';
  readonly password = 'throwaway-imap-password';

  private constructor(
    private readonly dir: string,
    readonly port: number,
    private readonly child: ChildProcess,
  ) {}

  static async start(): Promise<ThrowawayDovecot> {
    ensureInstalled();
    const dir = await mkdtemp(join(tmpdir(), 'dovecot-'));
    // dovecot's auth process runs as its own user and reads the passwd-file from here.
    await chmod(dir, 0o755);
    const port = await freePort();
    // dovecot refuses to keep mail as root: as root, the mail belongs to `nobody`.
    const root = process.getuid?.() === 0;
    const uid = root ? Number(execFileSync('id', ['-u', 'nobody']).toString()) : (process.getuid?.() ?? 0);
    const gid = root ? Number(execFileSync('id', ['-g', 'nobody']).toString()) : (process.getgid?.() ?? 0);
    await mkdir(join(dir, 'run'));
    await mkdir(join(dir, 'state'));
    await mkdir(join(dir, 'home'));
    if (root) await chown(join(dir, 'home'), uid, gid);
    const password = 'throwaway-imap-password';
    await writeFile(join(dir, 'passwd'), `intake:{PLAIN}${password}\n`);
    const conf = join(dir, 'dovecot.conf');
    await writeFile(
      conf,
      [
        `base_dir = ${dir}/run`,
        `state_dir = ${dir}/state`,
        `log_path = ${dir}/dovecot.log`,
        `info_log_path = ${dir}/dovecot.log`,
        'protocols = imap',
        'listen = 127.0.0.1',
        'ssl = no',
        'disable_plaintext_auth = no',
        'auth_mechanisms = plain login',
        `first_valid_uid = ${uid}`,
        `first_valid_gid = ${gid}`,
        // As root, dovecot's login and internal processes drop to these users (the package creates them).
        ...(root ? ['default_login_user = dovenull', 'default_internal_user = dovecot'] : []),
        `mail_location = maildir:${dir}/home/%u/Maildir`,
        'passdb {',
        '  driver = passwd-file',
        `  args = ${dir}/passwd`,
        '}',
        'userdb {',
        '  driver = static',
        `  args = uid=${uid} gid=${gid} home=${dir}/home/%u`,
        '}',
        'service imap-login {',
        '  inet_listener imap {',
        `    port = ${port}`,
        '  }',
        '  inet_listener imaps {',
        '    port = 0',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    const child = spawn(DOVECOT, ['-c', conf, '-F'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const dovecot = new ThrowawayDovecot(dir, port, child);
    try {
      await waitForPort(port, child, () => stderr);
    } catch (error) {
      const log = await readFile(join(dir, 'dovecot.log'), 'utf8').catch(() => '');
      await dovecot.stop();
      throw new Error(`${(error as Error).message}\n${stderr}\n${log}`, { cause: error });
    }
    return dovecot;
  }

  /** A logged-in client for the test's own look at the mailbox; the caller logs it out. */
  async client(): Promise<ImapFlow> {
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: this.port,
      secure: false,
      auth: { user: this.user, pass: this.password },
      logger: false,
    });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }

  /** Delivers `raw` into `folder`, as a mail server's delivery agent would. */
  async append(raw: Buffer, folder = 'INBOX'): Promise<void> {
    const client = await this.client();
    try {
      await client.append(folder, raw);
    } finally {
      await client.logout();
    }
  }

  /** How many messages `folder` holds; 0 for a folder that does not exist. */
  async count(folder: string): Promise<number> {
    const client = await this.client();
    try {
      const status = await client.status(folder, { messages: true }).catch(() => undefined);
      return status ? (status.messages ?? 0) : 0;
    } finally {
      await client.logout();
    }
  }

  /** The server's log, for a failing test's message. */
  async log(): Promise<string> {
    return readFile(join(this.dir, 'dovecot.log'), 'utf8').catch(() => '');
  }

  /** Kills the server and removes its directory. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}

function waitForPort(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('dovecot did not start within 15 s')), 15_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dovecot exited with ${code}: ${stderr()}`));
    });
    const poll = (): void => {
      const probe = connect(port, '127.0.0.1');
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
