import { registerAs } from '@nestjs/config';
import { IsInt, IsNumber, Max, Min } from 'class-validator';
import { validateEnv } from './validate-env';

export class LettersEnv {
  /**
   * Letters one recipient may be sent in a window unless the address has shown it is the sender's (DMARC, an agency
   * key); more wait until the window ends and go out together in one digest. 0 turns the cap off.
   */
  @IsInt() @Min(0) @Max(10_000) LETTER_CAP_PER_RECIPIENT = 5;
  /** The cap's window, in minutes from a recipient's first letter; decimals allowed (tests use a few seconds). */
  @IsNumber() @Min(0.05) @Max(7 * 24 * 60) LETTER_CAP_WINDOW_MINUTES = 60;
}

export const lettersConfig = registerAs('letters', () => {
  const env = validateEnv(LettersEnv);
  return {
    capPerRecipient: env.LETTER_CAP_PER_RECIPIENT,
    capWindowSeconds: Math.round(env.LETTER_CAP_WINDOW_MINUTES * 60),
    capWindowMinutes: env.LETTER_CAP_WINDOW_MINUTES,
  };
});
export type LettersConfig = ReturnType<typeof lettersConfig>;
