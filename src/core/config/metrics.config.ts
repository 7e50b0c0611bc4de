import { registerAs } from '@nestjs/config';
import { IsInt, IsString, Max, Min, MinLength, ValidateIf } from 'class-validator';
import { validateEnv } from './validate-env';

/** Who may scrape /metrics: anyone (both unset, as before), a bearer of METRICS_TOKEN, or only its own port. */
export class MetricsEnv {
  /** A scrape must send `Authorization: Bearer <token>`; others get 401. Empty: no token asked. */
  @ValidateIf((env: MetricsEnv) => env.METRICS_TOKEN !== '')
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN = '';
  /** Serve /metrics on this port of its own (a scraper on a private network) and not on PORT; 0 is off. */
  @IsInt() @Min(0) @Max(65535) METRICS_PORT = 0;
  /** The address the metrics port listens on. */
  @IsString() METRICS_HOST = '0.0.0.0';
}

export const metricsConfig = registerAs('metrics', () => {
  const env = validateEnv(MetricsEnv);
  return { token: env.METRICS_TOKEN || null, port: env.METRICS_PORT || null, host: env.METRICS_HOST };
});
export type MetricsConfig = ReturnType<typeof metricsConfig>;
