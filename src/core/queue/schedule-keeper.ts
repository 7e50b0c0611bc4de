import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { messageOf } from '../error-message';

const RECHECK_MS = 60_000;

/**
 * Keeps one BullMQ job scheduler in place. Upserting is idempotent, so every worker does it at start and again every
 * minute, in case Redis lost its data; BullMQ makes one job per firing however many workers run. A subclass says
 * which scheduler (`register`) and what it is, for the log line when Redis is not there yet.
 */
export abstract class ScheduleKeeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(this.constructor.name);
  private timer: NodeJS.Timeout | undefined;

  protected constructor(private readonly what: string) {}

  protected abstract register(): Promise<unknown>;

  onApplicationBootstrap(): void {
    void this.upsert();
    this.timer = setInterval(() => void this.upsert(), RECHECK_MS);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async upsert(): Promise<void> {
    try {
      await this.register();
    } catch (error) {
      this.logger.warn(`Could not register ${this.what} yet: ${messageOf(error)}`);
    }
  }
}
