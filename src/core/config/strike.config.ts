import { registerAs } from '@nestjs/config';
import { IsInt, Max, Min } from 'class-validator';
import { validateEnv } from './validate-env';

/** The repeat-infringer policy (17 U.S.C. 512(i)): what the public policy page states and the strike ledger enforces. */
export class StrikeEnv {
  /** Days a strike counts after the removal it was given for; after that it has expired. */
  @IsInt() @Min(1) @Max(3650) STRIKE_EXPIRY_DAYS = 90;
  /**
   * Active strikes at which staff are asked to approve the uploader's termination. Each active strike below it
   * warns the uploader in the removal letter.
   */
  @IsInt() @Min(1) @Max(100) STRIKE_THRESHOLD = 3;
}

export const strikeConfig = registerAs('strike', () => {
  const env = validateEnv(StrikeEnv);
  return { expiryDays: env.STRIKE_EXPIRY_DAYS, threshold: env.STRIKE_THRESHOLD };
});
export type StrikeConfig = ReturnType<typeof strikeConfig>;
