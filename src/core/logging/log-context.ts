import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line written on behalf of one HTTP request carries. */
export interface LogContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn`, and everything it starts, with `context` on every log line written meanwhile. */
export function runWithLogContext<T>(context: LogContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The context of the request being handled, if any. */
export function currentLogContext(): LogContext | undefined {
  return storage.getStore();
}
