import { LOG_LEVELS, type LoggerService, type LogLevel } from '@nestjs/common';
import { inspect } from 'node:util';
import pino, { type DestinationStream, type Level, type Logger as Pino } from 'pino';
import { ConfigError } from '../config/validate-env';
import { currentLogContext } from './log-context';
import { REDACT_PATHS, REDACTED, scrubFields, scrubValue } from './log-scrub';

/** Nest's levels as pino names them. */
const PINO_LEVEL: Record<LogLevel, Level> = {
  verbose: 'trace',
  debug: 'debug',
  log: 'info',
  warn: 'warn',
  error: 'error',
  fatal: 'fatal',
};

export interface AppLoggerOptions {
  /** The least severe level written (LOG_LEVEL). */
  level: LogLevel;
  /** A file to append the lines to (LOG_FILE), instead of `fd`. */
  file?: string;
  /** 1 (standard output) by default; the CLI logs to 2, its standard output being its answer. */
  fd?: 1 | 2;
}

/**
 * The pino logger behind AppLogger, and all that keeps personal data out of its lines: every string it is given
 * (message, fields, error messages and stacks) has its e-mail addresses and phone numbers hidden, and fields that
 * hold personal data or secrets (REDACT_PATHS) are written as "[redacted]" whatever they hold.
 */
export function createPino(level: LogLevel, destination: DestinationStream): Pino {
  return pino(
    {
      level: PINO_LEVEL[level],
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Errors arrive as plain objects already (scrubFields); pino's own serializer would retype them "Object".
      serializers: { err: (err: unknown) => err },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      hooks: {
        logMethod(args, method) {
          const [first, ...rest] = args as unknown[];
          // pino takes an Error's message as the line's message: it is scrubbed here, as the error is.
          const scrubbed =
            first instanceof Error
              ? [scrubFields({ err: first }), ...(typeof rest[0] === 'string' ? [] : [scrubValue(first.message)])]
              : [typeof first === 'object' && first !== null ? scrubFields(first) : scrubValue(first)];
          method.apply(this, [...scrubbed, ...rest.map(scrubValue)] as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

/**
 * Nest's LoggerService as JSON lines, one per call: `level`, `time`, `pid`, `hostname`, `context` (the Logger's
 * context), `msg`, `requestId` while an HTTP request is handled (request-id.ts), and the fields a call passes as
 * plain objects, or `err` and `stack` for errors. Installed with
 * NestFactory's `logger` option, it serves every `Logger` of the process, static or `new Logger(context)`.
 *
 * Log ids (case, letter, inbound message), never the values: what personal data still gets in is scrubbed.
 */
export class AppLogger implements LoggerService {
  constructor(readonly pino: Pino) {}

  /** Writes synchronously, so that a line logged just before the process exits is not lost. */
  static create({ level, file, fd = 1 }: AppLoggerOptions): AppLogger {
    return new AppLogger(createPino(level, pino.destination({ dest: file ?? fd, sync: true, mkdir: true })));
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', [message, ...params]);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', [message, ...params], true);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', [message, ...params]);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', [message, ...params]);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', [message, ...params]);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', [message, ...params], true);
  }

  /** Nest's levels are a set, pino's a threshold: the least severe level named is the threshold. */
  setLogLevels(levels: LogLevel[]): void {
    const least = LOG_LEVELS.find((l) => levels.includes(l));
    this.pino.level = least ? PINO_LEVEL[least] : 'silent';
  }

  flush(): void {
    this.pino.flush();
  }

  private write(level: Level, args: unknown[], withStack = false): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const { context, stack, parts } = withStack ? splitWithStack(args) : splitContext(args);
    const fields: Record<string, unknown> = {};
    const text: string[] = [];
    for (const part of parts) {
      if (part instanceof Error) {
        fields.err ??= part;
        text.push(part.message);
      } else if (isPlainObject(part)) Object.assign(fields, part);
      else if (part !== undefined)
        text.push(typeof part === 'string' ? part : inspect(part, { breakLength: Infinity }));
    }
    if (stack !== undefined) fields.stack = stack;
    if (context !== undefined) fields.context = context;
    const requestId = currentLogContext()?.requestId;
    if (requestId !== undefined) fields.requestId = requestId;
    this.pino[level](fields, text.length > 0 ? text.join(' ') : undefined);
  }
}

/**
 * Why a process could not start, as its last log line: to `logger` when there is one, else (the configuration was
 * refused before one could be made) to standard error. A configuration error names each setting and is enough; any
 * other error comes with its stack.
 */
export function logBootFailure(error: unknown, logger?: AppLogger): void {
  const target = logger ?? AppLogger.create({ level: 'error', fd: 2 });
  if (error instanceof Error && !(error instanceof ConfigError)) target.fatal(error.message, error.stack, 'Bootstrap');
  else target.fatal(error instanceof Error ? error.message : String(error), 'Bootstrap');
  target.flush();
}

interface Split {
  context?: string;
  stack?: string;
  parts: unknown[];
}

// Nest's own reading of a log call's arguments (ConsoleLogger): a last string after the message is the context.
function splitContext(args: unknown[]): Split {
  const last = args.at(-1);
  if (args.length <= 1 || typeof last !== 'string') return { parts: args };
  return { context: last, parts: args.slice(0, -1) };
}

// ...and for error and fatal, a stack before the context: error(message, stack?, context?).
function splitWithStack(args: unknown[]): Split {
  if (args.length === 2 && (args[1] === undefined || isStack(args[1]))) return { parts: [args[0]], stack: args[1] };
  if (args.length <= 2) return splitContext(args);
  const trailing = args.at(-1);
  if (isStack(trailing)) return { ...splitContext(args.slice(0, -1)), stack: trailing };
  const { context, parts } = splitContext(args);
  const last = parts.at(-1);
  if (parts.length <= 1 || (typeof last !== 'string' && last !== undefined)) return { context, parts };
  return { context, parts: parts.slice(0, -1), stack: last };
}

function isStack(value: unknown): value is string {
  return typeof value === 'string' && /\n[ \t]+at .+:\d+:\d+/.test(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
