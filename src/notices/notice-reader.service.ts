import { Inject, Injectable } from '@nestjs/common';
import { type IntakeConfig, intakeConfig } from '../core/config';
import { NoticeTooLargeError } from './intake.errors';
import type { IntakeRequest } from './intake-request';
import { type AnalysisResult, TextAnalysisService } from './text-analysis/text-analysis.service';

/**
 * Reads a notice's text (its checklist and its links, in the worker threads) under the documented limits, before
 * anything is recorded: the caller opens its transaction after, so that no row stays locked while a thread reads.
 */
@Injectable()
export class NoticeReader {
  constructor(
    @Inject(intakeConfig.KEY) private readonly limits: IntakeConfig,
    private readonly text: TextAnalysisService,
  ) {}

  /** A new notice from any channel. Throws NoticeTooLargeError over the limits. */
  async read(request: IntakeRequest): Promise<AnalysisResult> {
    this.enforceLimits(request.structured?.infringingUrls?.length ?? 0, request.text?.length ?? 0);
    const read = await this.text.analyse({ structured: request.structured, text: request.text });
    // The work's own URL is not counted against the limit: only what the sender reports.
    this.enforceLimits(read.links.filter((l) => l.role !== 'original').length, 0);
    return read;
  }

  /** An email's text: a new notice, a counter-notice, or a reply to a case (its own words, without what it quotes). */
  async readEmail(kind: 'notice' | 'counter_notice' | 'reply', request: IntakeRequest): Promise<AnalysisResult> {
    if (kind === 'notice') return this.read(request);
    const text = request.text ?? '';
    this.enforceLimits(0, text.length);
    if (kind === 'counter_notice') {
      return this.text.analyse({ text, kindHint: 'counter_notice', ownWordsOnly: true, withoutLinks: true });
    }
    const read = await this.text.analyse({ text, ownWordsOnly: true });
    this.enforceLimits(read.links.filter((l) => l.role !== 'original').length, 0);
    return read;
  }

  /** A case's whole record, read again after a revision. */
  readRecord(record: Parameters<TextAnalysisService['analyse']>[0]): Promise<AnalysisResult> {
    return this.text.analyse(record);
  }

  private enforceLimits(urlCount: number, textLength: number): void {
    if (urlCount > this.limits.maxUrls) {
      throw new NoticeTooLargeError(
        `A notice may list at most ${this.limits.maxUrls} URLs; this one has ${urlCount}. Split it into several notices.`,
      );
    }
    if (textLength > this.limits.maxTextChars) {
      throw new NoticeTooLargeError(
        `A notice's text may hold at most ${this.limits.maxTextChars} characters; this one has ${textLength}.`,
      );
    }
  }
}
