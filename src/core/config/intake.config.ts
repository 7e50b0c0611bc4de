import { registerAs } from '@nestjs/config';
import { availableParallelism } from 'node:os';
import { IsInt, Max, Min } from 'class-validator';
import { validateEnv } from './validate-env';

export class IntakeEnv {
  /** Most URLs one notice may carry; more is answered 413. */
  @IsInt() @Min(1) @Max(100_000) MAX_URLS_PER_NOTICE = 10_000;
  /** Largest JSON request body, in bytes; more is answered 413. */
  @IsInt() @Min(1024) MAX_BODY_BYTES = 5 * 1024 * 1024;
  /** Largest free-text notice, in characters; more is answered 413. */
  @IsInt() @Min(1024) MAX_TEXT_CHARS = 1024 * 1024;
  /** Worker threads (per process) that read notices' free text off the event loop; one core is left to the loop. */
  @IsInt() @Min(1) @Max(64) TEXT_WORKER_THREADS = Math.max(1, availableParallelism() - 1);
  /** A thread's time for one notice's text; past it the notice is read from its structured fields and held. */
  @IsInt() @Min(50) @Max(600_000) TEXT_BUDGET_MS = 5_000;
  /** Texts that may wait for a thread, per process; one more is answered 503 with Retry-After (a job retries). */
  @IsInt() @Min(1) @Max(100_000) TEXT_QUEUE_MAX = 64;
}

export const intakeConfig = registerAs('intake', () => {
  const env = validateEnv(IntakeEnv);
  return {
    maxUrls: env.MAX_URLS_PER_NOTICE,
    maxBodyBytes: env.MAX_BODY_BYTES,
    maxTextChars: env.MAX_TEXT_CHARS,
    textWorkerThreads: env.TEXT_WORKER_THREADS,
    textBudgetMs: env.TEXT_BUDGET_MS,
    textQueueMax: env.TEXT_QUEUE_MAX,
  };
});
export type IntakeConfig = ReturnType<typeof intakeConfig>;
