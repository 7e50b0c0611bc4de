import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { type LettersConfig, lettersConfig } from '../core/config';
import { JOB_RETRY, JobItem, JobName, QueueName } from '../core/queue/jobs';
import { LetterSenderService } from './letter-sender.service';

type MailJob = Extract<JobItem, { queue: QueueName.Mail }>;

/**
 * How long a job whose letter another sender holds waits, on its last attempt, before it looks again. That sender
 * either records the letter sent or failed (the next look skips it), or gives it back; or it died, and its lease
 * runs out (LETTER_LEASE_SECONDS) and the next look takes the letter up.
 */
export const BUSY_RETRY_DELAY_MS = 60_000;

/** The first wait after a try that found the relay unreachable; it doubles with each try, up to the setting's cap. */
const RELAY_RETRY_BASE_MS = 2_000;

@Processor(QueueName.Mail, { concurrency: 4 })
export class MailProcessor extends WorkerHost {
  constructor(
    private readonly sender: LetterSenderService,
    @Inject(lettersConfig.KEY) private readonly letters: LettersConfig,
  ) {
    super();
  }

  async process(job: Job<MailJob['data'], void, string>, token?: string): Promise<void> {
    // BullMQ types name and data apart; rejoin them into the union so the switch is exhaustive.
    const item = { name: job.name, data: job.data } as MailJob;
    switch (item.name) {
      case JobName.SendLetter: {
        const lastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? JOB_RETRY.attempts);
        const result = await this.sender.send(item.data.letterId, { lastTry });
        // Failures are recorded on the letter by now; these throws only tell BullMQ whether to try again.
        if (result.outcome === 'failed') throw new UnrecoverableError(result.reason);
        if (result.outcome === 'retry') throw new Error(result.reason);
        if (result.outcome === 'held') {
          const held = `Letter ${item.data.letterId} is held (by the per-recipient cap, or while a privacy request about its case is open) until ${result.until.toISOString()}`;
          // Waits for the release without spending an attempt. Not before a second from now: a worker whose clock
          // is ahead of Postgres's would otherwise spin until the database agrees the time has come.
          if (token) {
            await job.moveToDelayed(Math.max(result.until.getTime(), Date.now() + 1_000), token);
            throw new DelayedError(held);
          }
          throw new Error(held);
        }
        if (result.outcome === 'relay-down') {
          // The letter is fine; the relay is away. Waiting spends no attempt, so an outage of any length ends with
          // the letter sent rather than failed.
          const wait = Math.min(
            RELAY_RETRY_BASE_MS * 2 ** Math.min(result.tries - 1, 20),
            this.letters.relayRetryMaxSeconds * 1000,
          );
          if (token) {
            await job.moveToDelayed(Date.now() + wait, token);
            throw new DelayedError(`Letter ${item.data.letterId} waits for the relay: ${result.reason}`);
          }
          throw new Error(result.reason);
        }
        if (result.outcome === 'busy') {
          const busy = `Letter ${item.data.letterId} is being sent by another worker`;
          // Failing the last attempt would leave the letter queued with no job. Re-adding it is no answer: the job
          // id is fixed (send-letter.<letterId>) and BullMQ ignores an add whose id it still holds. So this job
          // waits and looks again, without spending an attempt, until the letter is sent, failed or free.
          if (lastTry && token) {
            await job.moveToDelayed(Date.now() + BUSY_RETRY_DELAY_MS, token);
            throw new DelayedError(busy);
          }
          throw new Error(busy);
        }
        return;
      }
      default:
        throw new UnrecoverableError(`Unknown job ${job.name} on queue ${QueueName.Mail}`);
    }
  }
}
