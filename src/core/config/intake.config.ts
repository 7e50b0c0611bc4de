import { registerAs } from '@nestjs/config';
import { IsInt, Max, Min } from 'class-validator';
import { validateEnv } from './validate-env';

export class IntakeEnv {
  /** Most URLs one notice may carry; more is answered 413. */
  @IsInt() @Min(1) @Max(100_000) MAX_URLS_PER_NOTICE = 10_000;
  /** Largest JSON request body, in bytes; more is answered 413. */
  @IsInt() @Min(1024) MAX_BODY_BYTES = 5 * 1024 * 1024;
  /** Largest free-text notice, in characters; more is answered 413. */
  @IsInt() @Min(1024) MAX_TEXT_CHARS = 1024 * 1024;
}

export const intakeConfig = registerAs('intake', () => {
  const env = validateEnv(IntakeEnv);
  return { maxUrls: env.MAX_URLS_PER_NOTICE, maxBodyBytes: env.MAX_BODY_BYTES, maxTextChars: env.MAX_TEXT_CHARS };
});
export type IntakeConfig = ReturnType<typeof intakeConfig>;
