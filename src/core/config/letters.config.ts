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
  /**
   * How long a sender holds a letter it claimed. Keep it comfortably above the transport's timeouts for one delivery
   * (10 s to connect, 10 s for the greeting, 60 s of socket silence: about 80 s), so that a live sender finishes
   * long before its lease runs out. A worker that dies mid-send holds the letter this long; then a retry takes it.
   */
  @IsInt() @Min(1) @Max(3600) LETTER_LEASE_SECONDS = 5 * 60;
  /**
   * The longest wait between two tries of a letter while the SMTP relay cannot be reached (refused connection, DNS,
   * no greeting, 421). Those tries spend none of the letter's retries: letters wait out an outage of any length.
   */
  @IsInt() @Min(1) @Max(3600) LETTER_RELAY_RETRY_MAX_SECONDS = 5 * 60;
}

export const lettersConfig = registerAs('letters', () => {
  const env = validateEnv(LettersEnv);
  return {
    capPerRecipient: env.LETTER_CAP_PER_RECIPIENT,
    capWindowSeconds: Math.round(env.LETTER_CAP_WINDOW_MINUTES * 60),
    capWindowMinutes: env.LETTER_CAP_WINDOW_MINUTES,
    leaseSeconds: env.LETTER_LEASE_SECONDS,
    relayRetryMaxSeconds: env.LETTER_RELAY_RETRY_MAX_SECONDS,
  };
});
export type LettersConfig = ReturnType<typeof lettersConfig>;
