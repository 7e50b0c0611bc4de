import { registerAs } from '@nestjs/config';
import { IsInt, Max, Min } from 'class-validator';
import { validateEnv } from './validate-env';

export class ReconcileEnv {
  /** Seconds between the reconciler's passes (one worker at a time runs a pass). */
  @IsInt() @Min(1) @Max(86_400) RECONCILE_EVERY_SECONDS = 30;
  /**
   * How old owed work must be before the reconciler puts it back on a queue: longer than the outbox relay and the
   * queues normally take, so that it only acts on work Redis lost.
   */
  @IsInt() @Min(0) @Max(7 * 86_400) RECONCILE_GRACE_SECONDS = 60;
  /** Rows of one kind read per query; a pass reads a few such pages of each kind, the next goes on from there. */
  @IsInt() @Min(1) @Max(100_000) RECONCILE_BATCH_SIZE = 1000;
}

export const reconcileConfig = registerAs('reconcile', () => {
  const env = validateEnv(ReconcileEnv);
  return {
    everySeconds: env.RECONCILE_EVERY_SECONDS,
    graceSeconds: env.RECONCILE_GRACE_SECONDS,
    batchSize: env.RECONCILE_BATCH_SIZE,
  };
});
export type ReconcileConfig = ReturnType<typeof reconcileConfig>;
