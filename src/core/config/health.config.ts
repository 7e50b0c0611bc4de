import { registerAs } from '@nestjs/config';
import { IsInt, Max, Min } from 'class-validator';
import { ConfigError, validateEnv } from './validate-env';

/** Worker heartbeats: how often each worker writes one, and how old the newest may be before /health answers 503. */
export class HealthEnv {
  /** Seconds between a worker's heartbeats (a row of its own in worker_heartbeats). */
  @IsInt() @Min(1) @Max(300) WORKER_HEARTBEAT_SECONDS = 5;
  /** /health answers 503 when no worker has written a heartbeat for this long; more than WORKER_HEARTBEAT_SECONDS. */
  @IsInt() @Min(2) @Max(86_400) WORKER_HEARTBEAT_STALE_SECONDS = 30;
}

/** The settings from `env`, refusing a staleness no longer than the heartbeat. */
export function readHealthEnv(env: NodeJS.ProcessEnv = process.env) {
  const settings = validateEnv(HealthEnv, env);
  if (settings.WORKER_HEARTBEAT_STALE_SECONDS <= settings.WORKER_HEARTBEAT_SECONDS) {
    throw new ConfigError(
      `Invalid configuration:\n  WORKER_HEARTBEAT_STALE_SECONDS=${settings.WORKER_HEARTBEAT_STALE_SECONDS}: must be ` +
        `more than WORKER_HEARTBEAT_SECONDS (${settings.WORKER_HEARTBEAT_SECONDS}), or a live worker would look gone ` +
        `between beats`,
    );
  }
  return { heartbeatSeconds: settings.WORKER_HEARTBEAT_SECONDS, staleSeconds: settings.WORKER_HEARTBEAT_STALE_SECONDS };
}

export const healthConfig = registerAs('health', () => readHealthEnv());
export type HealthConfig = ReturnType<typeof healthConfig>;
