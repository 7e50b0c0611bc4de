import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import * as path from 'node:path';
import { type AppConfig, appConfig, type IntakeConfig, intakeConfig } from '../../core/config';
import { NoticeFlag } from '../notice-flags';
import { analyseStructuredOnly, type NoticeAnalysis, type NoticeAnalysisInput } from './notice-analysis';
import { ServiceUnavailableError } from '../../core/http/service-unavailable';
import { TextBudgetExceededError, TextPoolBusyError, TextPoolClosedError, TextWorkerPool } from './text-worker-pool';

const BUSY_RETRY_AFTER_SECONDS = 5;

export type AnalysisRequest = Omit<NoticeAnalysisInput, 'siteDomains'>;

export interface AnalysisResult extends NoticeAnalysis {
  /** Set when the free text could not be read (its time budget ran out, or the reader failed): a person must look. */
  flags: NoticeFlag[];
}

/**
 * Reads notices' free text (checklist and link sorting) in a pool of worker threads, so that no text, however
 * long or crafted, holds the API's or the worker's event loop. Each notice has TEXT_BUDGET_MS of a thread's time;
 * a notice that runs past it is kept all the same, read from its structured fields alone and flagged
 * `text_budget_exceeded` for staff, and never retried.
 */
@Injectable()
export class TextAnalysisService implements OnModuleDestroy {
  private readonly logger = new Logger(TextAnalysisService.name);
  private readonly pool: TextWorkerPool;

  constructor(
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(intakeConfig.KEY) private readonly limits: IntakeConfig,
  ) {
    this.pool = new TextWorkerPool(workerFile(), limits.textWorkerThreads, limits.textBudgetMs, limits.textQueueMax);
  }

  async analyse(request: AnalysisRequest): Promise<AnalysisResult> {
    const input: NoticeAnalysisInput = { ...request, siteDomains: this.app.siteDomains };
    if (!input.text?.trim()) return { ...analyseStructuredOnly(input), flags: [] };
    try {
      return { ...(await this.pool.run<NoticeAnalysis>(input)), flags: [] };
    } catch (error) {
      // Not about this text: the process is stopping, or too many texts wait. The notice is not taken, and its
      // sender (or its job) tries again.
      if (error instanceof TextPoolClosedError || error instanceof TextPoolBusyError) {
        throw new ServiceUnavailableError(
          `Too many notices are being read right now (${error.message}); send this one again in a few seconds.`,
          BUSY_RETRY_AFTER_SECONDS,
        );
      }
      const exceeded = error instanceof TextBudgetExceededError;
      const flag = exceeded ? NoticeFlag.TextBudgetExceeded : NoticeFlag.TextUnread;
      this.logger.warn(
        `a notice's text (${input.text.length} characters) was not read: ${(error as Error).message}; ` +
          'its structured fields were checked alone and it is held for staff',
      );
      return { ...analyseStructuredOnly(input), flags: [flag] };
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.close();
  }
}

/** The compiled worker beside this file; from the TypeScript sources (jest), a loader that compiles it first. */
function workerFile(): string {
  return path.extname(__filename) === '.ts'
    ? path.join(__dirname, 'run-from-source.js')
    : path.join(__dirname, 'notice-analysis.worker.js');
}
