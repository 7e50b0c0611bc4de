import { Logger, type LogLevel } from '@nestjs/common';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '../config/validate-env';
import { AppLogger, createPino, logBootFailure } from './app-logger';
import { runWithLogContext } from './log-context';

/** A logger writing to memory: the raw lines, and each parsed. */
function memoryLogger(level: LogLevel = 'debug'): { logger: AppLogger; raw: string[]; lines: () => any[] } {
  const raw: string[] = [];
  const logger = new AppLogger(createPino(level, { write: (line: string) => raw.push(line) }));
  return { logger, raw, lines: () => raw.map((line) => JSON.parse(line)) };
}

const EMAIL = 'Jane.Roe@Agency.Example.org';
const PHONE = '+1 (555) 010-2345';

describe('AppLogger', () => {
  afterEach(() => Logger.overrideLogger(['error']));

  it("serves Nest's Logger, static and with a context, as JSON lines", () => {
    const { logger, lines } = memoryLogger();
    Logger.overrideLogger(logger);
    const error = new Error('boom');
    Logger.log('API listening on port 3000', 'Bootstrap');
    new Logger('LetterSenderService').warn('Letter 7 not sent, will retry');
    new Logger('HTTP').error(error.stack);
    new Logger('StaffPages').error('could not render', error.stack);
    new Logger('Sweep').debug('swept', { done: 2, failed: 0 });
    new Logger('Nest').error(error);
    expect(lines()).toEqual([
      expect.objectContaining({ level: 'info', context: 'Bootstrap', msg: 'API listening on port 3000' }),
      expect.objectContaining({ level: 'warn', context: 'LetterSenderService', msg: 'Letter 7 not sent, will retry' }),
      expect.objectContaining({ level: 'error', context: 'HTTP', msg: error.stack }),
      expect.objectContaining({ level: 'error', context: 'StaffPages', msg: 'could not render', stack: error.stack }),
      expect.objectContaining({ level: 'debug', context: 'Sweep', msg: 'swept', done: 2, failed: 0 }),
      expect.objectContaining({
        level: 'error',
        context: 'Nest',
        msg: 'boom',
        err: expect.objectContaining({ type: 'Error', message: 'boom', stack: error.stack }),
      }),
    ]);
    expect(lines()[0]).toEqual(
      expect.objectContaining({ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), pid: process.pid }),
    );
  });

  it('puts the request id on every line written while a request is handled, and on none outside one', async () => {
    const { logger, lines } = memoryLogger();
    Logger.overrideLogger(logger);
    const log = new Logger('IntakeService');
    await runWithLogContext({ requestId: 'req-0001' }, async () => {
      log.log('before an await');
      await new Promise((resolve) => setImmediate(resolve));
      log.warn('after it', { caseId: 'c1' });
    });
    log.log('outside');
    expect(lines()).toEqual([
      expect.objectContaining({ msg: 'before an await', requestId: 'req-0001' }),
      expect.objectContaining({ msg: 'after it', caseId: 'c1', requestId: 'req-0001' }),
      expect.not.objectContaining({ requestId: expect.anything() }),
    ]);
  });

  it('hides addresses and phone numbers in the message, string fields, error messages and stacks', () => {
    const { logger, raw, lines } = memoryLogger();
    const refusal = Object.assign(new Error(`Can't send mail - all recipients were rejected: 550 <${EMAIL}>`), {
      code: 'EENVELOPE',
      responseCode: 550,
      response: `550 5.1.1 <${EMAIL}>: Recipient address rejected`,
      rejected: [EMAIL],
    });
    logger.warn(`Letter 7 (DMCA-2026-000042) failed for ${EMAIL}, call ${PHONE}`, 'LetterSenderService');
    logger.log('settled', { reason: `reply from ${EMAIL}`, note: `fax ${PHONE}` }, 'InboundParserService');
    logger.error(refusal, 'MailTransport');
    logger.error(`sending failed: ${refusal.message}`, refusal.stack, 'MailTransport');

    for (const line of raw) {
      expect(line.toLowerCase()).not.toContain('jane.roe');
      expect(line).not.toContain('010-2345');
    }
    const [warned, settled, thrown, stacked] = lines();
    expect(warned.msg).toBe('Letter 7 (DMCA-2026-000042) failed for [email redacted], call [phone redacted]');
    expect(settled).toMatchObject({ reason: 'reply from [email redacted]', note: 'fax [phone redacted]' });
    expect(thrown.msg).toContain('550 <[email redacted]>');
    expect(thrown.err).toMatchObject({
      type: 'Error',
      code: 'EENVELOPE',
      responseCode: 550,
      response: '550 5.1.1 <[email redacted]>: Recipient address rejected',
      rejected: ['[email redacted]'],
    });
    expect(thrown.err.stack).toContain('[email redacted]');
    expect(stacked.stack).toContain('[email redacted]');
  });

  it('writes fields that hold personal data or secrets as [redacted], at every depth a line carries', () => {
    const { logger, raw, lines } = memoryLogger();
    logger.log(
      'fields',
      {
        email: EMAIL,
        name: 'Jane Roe',
        phone: PHONE,
        address: '1 Market St, San Francisco',
        complainant: { name: 'Jane Roe', company: 'Roe Rights LLC' },
        headers: { authorization: 'Bearer tda_secret', cookie: 'sid=abc', 'set-cookie': ['sid=abc'] },
        envelope: { from: EMAIL, to: [EMAIL] },
        letters: [{ id: 'letter-1', recipient: EMAIL, subject: 'Your notice' }],
        job: { data: { letterId: 'letter-2', to: EMAIL } },
        request: { body: { complainant: { email: EMAIL } } },
        statusToken: 'tok_123',
        caseId: 'case-1',
      },
      'Test',
    );
    const line = lines()[0];
    expect(line).toMatchObject({
      email: '[redacted]',
      name: '[redacted]',
      phone: '[redacted]',
      address: '[redacted]',
      complainant: '[redacted]',
      headers: { authorization: '[redacted]', cookie: '[redacted]', 'set-cookie': '[redacted]' },
      envelope: '[redacted]',
      letters: [{ id: 'letter-1', recipient: '[redacted]', subject: '[redacted]' }],
      job: { data: { letterId: 'letter-2', to: '[redacted]' } },
      request: { body: '[redacted]' },
      statusToken: '[redacted]',
      caseId: 'case-1',
    });
    for (const value of ['Jane Roe', 'Market St', 'Roe Rights', 'tda_secret', 'sid=abc', 'tok_123']) {
      expect(raw[0]).not.toContain(value);
    }
  });

  it("keeps the row out of a database error: the query's parameters and Postgres's detail", () => {
    const { logger, raw, lines } = memoryLogger();
    const driverError = Object.assign(new Error('duplicate key value violates unique constraint "parties_email"'), {
      code: '23505',
      detail: 'Key (name)=(Jane Roe) already exists.',
    });
    const failed = Object.assign(new Error(driverError.message), {
      name: 'QueryFailedError',
      query: 'INSERT INTO parties (name) VALUES ($1)',
      parameters: ['Jane Roe'],
      driverError,
    });
    logger.error(failed, 'IntakeService');
    expect(lines()[0].err).toMatchObject({
      type: 'QueryFailedError',
      query: 'INSERT INTO parties (name) VALUES ($1)',
      parameters: '[redacted]',
      driverError: { code: '23505', detail: '[redacted]' },
    });
    expect(raw[0]).not.toContain('Jane Roe');
  });

  it('writes nothing nested deeper than its redact paths reach, and survives a cycle', () => {
    const { logger, raw, lines } = memoryLogger();
    const cycle: Record<string, unknown> = { id: 'c' };
    cycle.self = cycle;
    logger.log('deep', { a: { b: { c: { email: EMAIL, person: 'Jane Roe' } } }, cycle }, 'Test');
    expect(lines()[0]).toMatchObject({ a: { b: { c: '[nested]' } }, cycle: { id: 'c', self: '[circular]' } });
    expect(raw[0]).not.toContain('Jane Roe');
  });

  it('scrubs what is logged through its pino instance directly, too', () => {
    const { logger, raw } = memoryLogger();
    logger.pino.info({ to: EMAIL, reason: `for ${EMAIL}` }, `sent to ${EMAIL} at %s`, PHONE);
    logger.pino.error(new Error(`no mailbox ${EMAIL}`));
    expect(raw.join('')).not.toMatch(/jane\.roe|010-2345/i);
    expect(raw).toHaveLength(2);
  });

  it('honours LOG_LEVEL, and the levels Nest sets at run time', () => {
    const { logger, lines } = memoryLogger('warn');
    logger.debug('d', 'T');
    logger.log('l', 'T');
    logger.warn('w', 'T');
    logger.setLogLevels(['error', 'fatal']);
    logger.warn('w2', 'T');
    logger.error('e', 'T');
    logger.setLogLevels(['verbose', 'error']);
    logger.verbose('v', 'T');
    expect(lines().map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'w'],
      ['error', 'e'],
      ['trace', 'v'],
    ]);
  });

  it('appends to LOG_FILE, each line written by the time the call returns', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'logs-'));
    try {
      const file = path.join(dir, 'sub', 'app.log');
      const logger = AppLogger.create({ level: 'log', file });
      logger.log(`one for ${EMAIL}`, 'Test');
      logger.warn('two', 'Test');
      const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
      expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['one for [email redacted]', 'two']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('logBootFailure', () => {
  it('names the refused setting, with addresses hidden', () => {
    const { logger, lines } = memoryLogger('error');
    logBootFailure(
      new ConfigError(`Invalid configuration:\n  PORT="abc": PORT must be an integer number\n  MAIL_FROM="${EMAIL} x"`),
      logger,
    );
    const [line] = lines();
    expect(line).toMatchObject({ level: 'fatal', context: 'Bootstrap' });
    expect(line.msg).toContain('PORT="abc": PORT must be an integer number');
    expect(line.msg).toContain('MAIL_FROM="[email redacted] x"');
    expect(line.stack).toBeUndefined();
  });

  it('gives any other error with its stack', () => {
    const { logger, lines } = memoryLogger('error');
    logBootFailure(new Error(`connect ECONNREFUSED for ${EMAIL}`), logger);
    const [line] = lines();
    expect(line.msg).toBe('connect ECONNREFUSED for [email redacted]');
    expect(line.stack).toMatch(/^Error: connect ECONNREFUSED for \[email redacted\]\n\s+at /);
  });
});
