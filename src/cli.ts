import 'reflect-metadata';
import { HttpException, HttpStatus, type INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { StaffAuthService } from './auth/staff-auth.service';
import { StaffRole } from './auth/staff-user.entity';
import { TriageService } from './triage/triage.service';
import { PrivacyRequestKind } from './privacy/privacy-request.entity';
import { PrivacyRequestRefusedError } from './privacy/privacy-request-workflow';
import { PrivacyRequestsService } from './privacy/privacy-requests.service';
import { checkNotice, isValidEmail } from './checklist';
import { AppEnv, appConfig } from './core/config/app.config';
import { DatabaseEnv } from './core/config/database-env';
import { ConfigError, splitList, validateEnv } from './core/config/validate-env';
import { dataSourceOptions } from './core/database/data-source-options';
import { CaseTransitionError } from './cases/case-workflow';
import { LinkTransitionError } from './cases/link-transitions';
import { ensureDatabase } from './core/database/ensure-database';
import { isLocale, LOCALES } from './core/i18n/locales';
import { DomainError } from './core/errors';
import { AppLogger } from './core/logging/app-logger';
import { previewLetter } from './letters/letter-preview';
import { LettersService } from './letters/letters.service';
import { loadProviderRegistry, type ProviderRegistry, sortLinks } from './links';
import { PROVIDER_REGISTRY } from './links/links.constants';
import { RetentionService } from './privacy/retention.service';
import { evidenceBytes } from './email-intake/mail-content';
import { CatalogImportService } from './site/catalog-import.service';
import { SITE_ADAPTER, type SiteAdapter } from './site/site-adapter';
import { PersonalData } from './core/privacy/personal-data.service';

const USAGE = `Usage: npm run cli -- <command>

  check-notice [--site-domain D]... FILE...   Check notices; one JSON line per file. Needs no database.
  import-catalog FILE [--format csv|json]     Load software pages and downloads into the catalog.
  approve-takedowns REFERENCE                 Approve a case's pending links, as staff's "approve all pending"
                                              does: held takedowns are released and the worker does the rest.
  render-letter NAME --case REFERENCE [--html] Print a case's letter as the pipeline renders it (NAME: receipt,
                                              deficiency, referral, takedown_done, uploader).
  inbound [--status S] [--limit N]            List stored inbound mail, newest first (S: quarantined, ignored,
                                              stored, parsed, duplicate), with the reason for each.
  inbound --raw ID                            Print one stored message exactly as received.
  inbound --evidence ID                       Print one evidence file's bytes (ID: evidence_files.id), read from
                                              the stored message it came in.
  retention [--dry-run]                       Apply the retention schedule now (the worker does it nightly); with
                                              --dry-run, only say what it would remove. One JSON line: counts per
                                              category, the cases, and the cases a legal hold keeps.
  rotate-kek                                  Re-wrap every data subject's key under PRIVACY_KEK (the old key in
                                              PRIVACY_KEK_PREVIOUS); prints {"rewrapped":N,"left":0}.
  migrate                                     Create the database if missing and run pending migrations.
  create-admin EMAIL [--name NAME] [--password-stdin]
                                              Create an admin staff account. Prints a generated password once,
                                              or reads the password (12+ characters) from standard input.
  privacy-request erasure EMAIL --reason TEXT [--minor] [--confirm] [--language en|zh-Hans]
                                              Record a request to erase an address's personal data, as staff
                                              (no mailed confirmation). --minor: a parent's or guardian's request
                                              for a minor's data, withheld everywhere at once. --confirm: carry it
                                              out now. --language: the outcome letter's (else DEFAULT_LOCALE). Prints one JSON line: id, kind, minor, status (received,
                                              suppressed, done, partially_retained) and retained ([{ what, why }]).
  privacy-request access EMAIL                Record an access request and print the export of what we hold about
                                              the address, in the same JSON line (export).

Exit codes: 0 done, 1 error or wrong usage, 2 refused (the workflow or the case's state does not allow it; the API
answers 409 there).
`;

/** The exit code of a command the workflow refused, where the API answers 409. */
export const EXIT_REFUSED = 2;

export class UsageError extends Error {}

export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
  /** Bytes as they are (a stored message, an evidence file); without it they go to `out` as latin1 text. */
  bytes?(data: Buffer): void;
  /** All of standard input; only commands that ask for it read it. */
  readInput?(): Promise<string>;
}

const stdio: CliOutput = {
  out: (line) => process.stdout.write(line),
  bytes: (data) => process.stdout.write(data),
  err: (line) => process.stderr.write(line),
  readInput: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

/** Runs one command; resolves to the process exit code. */
export async function runCli(argv: string[], io: CliOutput = stdio): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (error instanceof UsageError) io.err(`${error.message}\n\n${USAGE}`);
    else if (isWorkflowRefusal(error)) {
      io.err(`Refused: ${error.message}\n`);
      return EXIT_REFUSED;
    } else if (error instanceof ConfigError || error instanceof DomainError || error instanceof HttpException)
      io.err(`${error.message}\n`);
    else io.err(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

async function dispatch(argv: string[], io: CliOutput): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'check-notice':
      return checkNotices(args, io);
    case 'import-catalog':
      return importCatalog(args, io);
    case 'approve-takedowns':
      return approve(args, io);
    case 'render-letter':
      return renderLetter(args, io);
    case 'inbound':
      return inbound(args, io);
    case 'retention':
      return retention(args, io);
    case 'rotate-kek':
      return rotateKek(args, io);
    case 'migrate':
      return migrate(io);
    case 'create-admin':
      return createAdmin(args, io);
    case 'privacy-request':
      return privacyRequest(args, io);
    case undefined:
    case '--help':
    case 'help':
      io.out(USAGE);
      return 0;
    default:
      throw new UsageError(`Unknown command "${command}".`);
  }
}

function checkNotices(args: string[], io: CliOutput): number {
  const domains: string[] = [];
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--site-domain') {
      const d = args[++i];
      if (!d) throw new UsageError('--site-domain needs a domain.');
      domains.push(d.toLowerCase());
    } else files.push(args[i]);
  }
  if (files.length === 0) throw new UsageError('check-notice needs at least one FILE.');
  const siteDomains = domains.length > 0 ? domains : splitList(validateEnv(AppEnv).SITE_DOMAINS.toLowerCase());
  const registry = loadProviderRegistry();
  let failed = false;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      io.err(`${file}: ${error instanceof Error ? error.message : String(error)}\n`);
      failed = true;
      continue;
    }
    const sorted = sortLinks({ text }, { siteDomains, registry });
    const result = checkNotice({ text, textLinks: sorted });
    const links = sorted.map(({ url, classification, provider, role }) => ({ url, classification, provider, role }));
    io.out(`${JSON.stringify({ file, kind: result.kind, elements: result.elements, links })}\n`);
  }
  return failed ? 1 : 0;
}

/** A move the workflow refuses (a transition, or triage's own 409): exit 2, where the API answers 409. */
function isWorkflowRefusal(error: unknown): error is Error {
  if (error instanceof CaseTransitionError || error instanceof LinkTransitionError) return true;
  if (error instanceof PrivacyRequestRefusedError && error.kind === 'conflict') return true;
  return error instanceof HttpException && error.getStatus() === (HttpStatus.CONFLICT as number);
}

/**
 * Boots the application context (CliModule: the services the API uses, wired the same way) for one command, and
 * closes it after. Configuration errors reach runCli instead of ending the process.
 */
async function withApp<T>(fn: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  // Loaded here, so that check-notice needs neither the modules nor a database.
  const { NestFactory } = await import('@nestjs/core');
  const { CliModule } = await import('./cli.module');
  // Errors only, as JSON lines on standard error (or LOG_FILE): standard output is the command's answer.
  const logger = AppLogger.create({ level: 'error', file: appConfig().logFile, fd: 2 });
  const app = await NestFactory.createApplicationContext(CliModule, { logger, abortOnError: false });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

async function withDatabase<T>(fn: (ds: DataSource) => Promise<T>): Promise<T> {
  const ds = new DataSource(dataSourceOptions(validateEnv(DatabaseEnv).DATABASE_URL, 2));
  await ds.initialize();
  try {
    return await fn(ds);
  } finally {
    await ds.destroy();
  }
}

async function importCatalog(args: string[], io: CliOutput): Promise<number> {
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) throw new UsageError('import-catalog needs a FILE.');
  const formatArg = args[args.indexOf('--format') + 1];
  const format = args.includes('--format') ? formatArg : path.extname(file).slice(1).toLowerCase();
  if (format !== 'csv' && format !== 'json') throw new UsageError('Give a .csv or .json file, or --format csv|json.');
  const content = readFileSync(file, 'utf8');
  const summary = await withApp(async (app) => {
    const importer = app.get(CatalogImportService);
    return importer.import(importer.parse(content, format));
  });
  io.out(`Imported ${summary.pages} pages and ${summary.links} download links from ${file}\n`);
  return 0;
}

async function approve(args: string[], io: CliOutput): Promise<number> {
  const [reference] = args;
  if (!reference || !/^DMCA-\d{4}-\d{6}$/.test(reference))
    throw new UsageError('approve-takedowns needs a case reference such as DMCA-2026-000042.');
  const { username } = userInfo();
  const { links, status } = await withApp((app) =>
    app.get(TriageService).approve(reference, undefined, { id: `cli:${username}`, name: username }),
  );
  io.out(`Approved ${links ?? 0} link(s) of ${reference} (now ${status}); the worker takes them down.\n`);
  return 0;
}

async function renderLetter(args: string[], io: CliOutput): Promise<number> {
  const name = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--case');
  const reference = args.includes('--case') ? args[args.indexOf('--case') + 1] : undefined;
  if (!name || !reference) throw new UsageError('render-letter needs a letter NAME and --case REFERENCE.');
  const letter = await withApp((app) =>
    previewLetter(
      app.get(DataSource),
      app.get(LettersService),
      {
        site: app.get<SiteAdapter>(SITE_ADAPTER),
        registry: app.get<ProviderRegistry>(PROVIDER_REGISTRY),
        vault: app.get(PersonalData),
      },
      reference,
      name,
    ),
  );
  io.out(`${letter.recipient ? `To: ${letter.recipient}\n` : ''}Subject: ${letter.subject}\n\n${letter.text}`);
  if (args.includes('--html')) io.out(`\n----- HTML -----\n${letter.html}`);
  return 0;
}

const INBOUND_STATUSES = ['stored', 'parsed', 'quarantined', 'ignored', 'duplicate'];

function writeBytes(io: CliOutput, data: Buffer): void {
  if (io.bytes) io.bytes(data);
  else io.out(data.toString('latin1'));
}

/**
 * One evidence file's bytes: its MIME part of the stored message (files stored before evidence was kept that way
 * carry their own sealed copy).
 */
async function evidenceFile(id: string, io: CliOutput): Promise<number> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new UsageError('inbound --evidence needs an evidence file id.');
  const found = await withApp(async (app) => {
    const ds = app.get(DataSource);
    const vault = app.get(PersonalData);
    const [row] = await ds.query<
      { content: Buffer | null; mime_part: string[] | null; raw: Buffer; raw_removed_at: Date | null }[]
    >(
      `SELECT f.content, f.mime_part, m.raw, m.raw_removed_at
       FROM evidence_files f JOIN inbound_messages m ON m.id = f.inbound_message_id WHERE f.id = $1`,
      [id],
    );
    if (!row) return undefined;
    if (row.content) return { bytes: await vault.openBuffer(ds.manager, row.content) };
    if (row.raw_removed_at) return { removedAt: row.raw_removed_at };
    const raw = await vault.openBuffer(ds.manager, row.raw, { inPlace: true });
    return { bytes: raw && (await evidenceBytes(raw, row.mime_part ?? [])) };
  });
  if (!found) throw new UsageError(`No evidence file ${id}.`);
  if ('removedAt' in found) {
    io.err(`Retention removed the message of evidence file ${id} on ${found.removedAt?.toISOString()}.\n`);
    return 1;
  }
  if (found.bytes === null)
    throw new UsageError(`Evidence file ${id} was erased, or is withheld, at its sender's request.`);
  if (found.bytes === undefined) throw new UsageError(`Evidence file ${id} is not in its message any more.`);
  writeBytes(io, found.bytes);
  return 0;
}

/** Staff's view of email intake until the triage UI exists: what was quarantined or ignored, and why. */
async function inbound(args: string[], io: CliOutput): Promise<number> {
  const option = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  // Named without an id, --raw and --evidence say so rather than list the mail.
  const rawId = args.includes('--raw') ? (option('--raw') ?? '') : undefined;
  if (rawId !== undefined) {
    if (!/^[0-9a-f-]{36}$/i.test(rawId)) throw new UsageError('inbound --raw needs a message id.');
    const found = await withApp(async (app) => {
      const ds = app.get(DataSource);
      const [row] = await ds.query<{ raw: Buffer; raw_removed_at: Date | null }[]>(
        `SELECT raw, raw_removed_at FROM inbound_messages WHERE id = $1`,
        [rawId],
      );
      if (!row || row.raw_removed_at) return row ? { removedAt: row.raw_removed_at } : undefined;
      return { raw: await app.get(PersonalData).openBuffer(ds.manager, row.raw) };
    });
    if (!found) throw new UsageError(`No inbound message ${rawId}.`);
    if (found.removedAt) {
      io.err(`Retention removed message ${rawId} on ${found.removedAt.toISOString()}; its record stays.\n`);
      return 1;
    }
    if (!found.raw)
      throw new UsageError(`Inbound message ${rawId} was erased, or is withheld, at its sender's request.`);
    writeBytes(io, found.raw);
    return 0;
  }
  if (args.includes('--evidence')) return evidenceFile(option('--evidence') ?? '', io);
  const status = option('--status');
  if (status !== undefined && !INBOUND_STATUSES.includes(status)) {
    throw new UsageError(`--status is one of ${INBOUND_STATUSES.join(', ')}.`);
  }
  const limit = Number(option('--limit') ?? 50);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new UsageError('--limit is 1 to 10000.');
  const rows = await withApp(async (app) => {
    const ds = app.get(DataSource);
    const found = await ds.query<Record<string, unknown>[]>(
      `SELECT m.id, m.received_at, m.channel, m.status, m.reason, m.size_bytes, m.envelope_from, m.message_id,
              m.raw_removed_at, c.reference AS case_reference
       FROM inbound_messages m LEFT JOIN cases c ON c.id = m.case_id
       WHERE $1::inbound_status IS NULL OR m.status = $1::inbound_status
       ORDER BY m.received_at DESC LIMIT $2`,
      [status ?? null, limit],
    );
    return app.get(PersonalData).openRows(ds.manager, found, ['envelope_from']);
  });
  for (const row of rows) io.out(`${JSON.stringify(row)}\n`);
  return 0;
}

/** Re-wraps every data key PRIVACY_KEK_PREVIOUS wrapped under PRIVACY_KEK; safe to stop and run again. */
async function rotateKek(args: string[], io: CliOutput): Promise<number> {
  if (args.length > 0) throw new UsageError(`rotate-kek takes no arguments, not ${args.join(' ')}.`);
  const result = await withApp((app) => app.get(PersonalData).rotateKek());
  io.out(`${JSON.stringify(result)}\n`);
  if (result.left === 0) return 0;
  io.err(`${result.left} key(s) are wrapped by neither PRIVACY_KEK nor PRIVACY_KEK_PREVIOUS.\n`);
  return 1;
}

async function retention(args: string[], io: CliOutput): Promise<number> {
  const unknown = args.filter((a) => a !== '--dry-run');
  if (unknown.length > 0) throw new UsageError(`retention takes only --dry-run, not ${unknown.join(' ')}.`);
  const dryRun = args.includes('--dry-run');
  const { username } = userInfo();
  const report = await withApp((app) => {
    const service = app.get(RetentionService);
    return dryRun ? service.plan(new Date()) : service.apply(new Date(), `cli:${username}`);
  });
  io.out(`${JSON.stringify(report)}\n`);
  if (report.ran) return 0;
  io.err('Refused: another retention run is under way; this one did nothing.\n');
  return EXIT_REFUSED;
}

async function migrate(io: CliOutput): Promise<number> {
  const url = validateEnv(DatabaseEnv).DATABASE_URL;
  if (await ensureDatabase(url)) io.out(`Created database ${new URL(url).pathname.slice(1)}\n`);
  const ran = await withDatabase((ds) => ds.runMigrations({ transaction: 'each' }));
  io.out(ran.length ? `Ran ${ran.map((m) => m.name).join(', ')}\n` : 'Database is up to date\n');
  return 0;
}

async function createAdmin(args: string[], io: CliOutput): Promise<number> {
  const nameAt = args.indexOf('--name');
  const name = nameAt >= 0 ? args[nameAt + 1] : undefined;
  if (nameAt >= 0 && !name?.trim()) throw new UsageError('--name needs a name.');
  const email = args.find((a, i) => !a.startsWith('--') && !(nameAt >= 0 && i === nameAt + 1));
  if (!email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new UsageError('create-admin needs an EMAIL address.');
  let password: string;
  const generated = !args.includes('--password-stdin');
  if (generated) password = randomBytes(18).toString('base64url');
  else {
    if (!io.readInput) throw new UsageError('--password-stdin needs standard input.');
    password = (await io.readInput()).replace(/\r?\n$/, '');
  }
  const user = await withApp((app) =>
    app.get(StaffAuthService).createUser(email, name ?? email.split('@')[0], StaffRole.Admin, password, 'cli'),
  );
  io.out(`Created admin ${user.email} (${user.id}).\n`);
  if (generated) io.out(`Password (shown once, store it now): ${password}\n`);
  return 0;
}

/**
 * A privacy request entered by staff, through the same service as staff's API: the CLI acts as staff, so no
 * confirmation is mailed, and with --confirm the erasure is carried through before the command returns.
 */
async function privacyRequest(args: string[], io: CliOutput): Promise<number> {
  const [given, ...rest] = args;
  const kind = Object.values(PrivacyRequestKind).find((k) => k === (given as PrivacyRequestKind));
  const valueOf = (name: string): string | undefined => {
    const i = rest.indexOf(name);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  const reason = valueOf('--reason');
  const language = valueOf('--language');
  const email = rest.find((a, i) => !a.startsWith('--') && !['--reason', '--language'].includes(rest[i - 1]));
  if (!kind) throw new UsageError('privacy-request needs a kind: erasure or access.');
  if (!email || !isValidEmail(email)) throw new UsageError(`privacy-request ${kind} needs an EMAIL address.`);
  const known = kind === PrivacyRequestKind.Erasure ? ['--reason', '--minor', '--confirm', '--language'] : [];
  const unknown = rest.find((a) => a.startsWith('--') && !known.includes(a));
  if (unknown) throw new UsageError(`privacy-request ${kind} does not take ${unknown}.`);
  if (kind === PrivacyRequestKind.Erasure && !reason?.trim())
    throw new UsageError('privacy-request erasure needs --reason TEXT: why, or on what the request came.');
  if (rest.includes('--language') && !isLocale(language))
    throw new UsageError(`--language must be one of ${LOCALES.join(', ')}.`);
  const actor = `cli:${userInfo().username}`;
  const line = await withApp(async (app) => {
    const requests = app.get(PrivacyRequestsService);
    if (kind === PrivacyRequestKind.Access) {
      const made = await requests.submitByStaff({ kind, email, minor: false }, actor);
      const { id, minor, status, retained, export: data } = await requests.deliverExport(made.id, actor);
      return { id, kind, minor, status, retained, export: data };
    }
    const minor = rest.includes('--minor');
    let done = await requests.submitByStaff(
      { kind, email, minor, details: reason, language: isLocale(language) ? language : undefined },
      actor,
    );
    if (rest.includes('--confirm'))
      done = minor ? await requests.confirmMinor(done.id, actor) : await requests.carryOutErasure(done.id, actor);
    return { id: done.id, kind, minor: done.minor, status: done.status, retained: done.retained };
  });
  io.out(`${JSON.stringify(line)}\n`);
  return 0;
}

if (require.main === module) {
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
