import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  type AppConfig,
  appConfig,
  type MailConfig,
  mailConfig,
  type PrivacyConfig,
  privacyConfig,
} from '../core/config';
import { MailTransport } from '../core/mail/mail-transport';
import { classifySmtpFailure, describeSmtpFailure } from '../core/mail/smtp-failure';
import { ERASED, PersonalData, WITHHELD } from '../core/privacy/personal-data.service';
import { redactPersonalData } from '../core/privacy/redact';
import type { JobData, JobName } from '../core/queue/jobs';
import { TemplateRenderer } from '../core/templates/template-renderer';
import { confirmToken, exportToken } from './privacy-links';
import { isOpen } from './privacy-request-workflow';
import { PrivacyRequestKind, PrivacyRequestStatus } from './privacy-request.entity';
import { type PrivacyRequestRow, PrivacyRequestsRepository } from './privacy-requests.repository';

export type PrivacyMailResult =
  | { outcome: 'sent' }
  /** Nothing sent, nor to send: already sent, the request moved on, or no address to send to. */
  | { outcome: 'skipped' }
  | { outcome: 'failed'; reason: string }
  | { outcome: 'retry'; reason: string };

type SendPrivacyMail = JobData<JobName.SendPrivacyMail>;

interface Prepared {
  to: string;
  template: string;
  context: Record<string, unknown>;
}

const WORKER = 'worker';

/**
 * Sends one mail of a privacy request: rendered now from the request's row (addresses opened at send time, links
 * derived from the row), never stored. The outcome's own copy of the address (reply_to) is erased once the outcome
 * has gone, or can never go.
 */
@Injectable()
export class PrivacyMailService {
  private readonly logger = new Logger(PrivacyMailService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly requests: PrivacyRequestsRepository,
    private readonly personal: PersonalData,
    private readonly transport: MailTransport,
    private readonly templates: TemplateRenderer,
    @Inject(mailConfig.KEY) private readonly mail: MailConfig,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(privacyConfig.KEY) private readonly privacy: PrivacyConfig,
  ) {}

  async send(job: SendPrivacyMail, { lastTry = false }: { lastTry?: boolean } = {}): Promise<PrivacyMailResult> {
    const m = this.dataSource.manager;
    const row = await this.requests.get(m, job.requestId);
    if (!row || (await this.alreadyRecorded(m, job))) return { outcome: 'skipped' };
    const prepared = await this.prepare(m, row, job);
    if ('skip' in prepared) {
      await this.record(row, job, 'mail.skipped', { why: prepared.skip });
      return { outcome: 'skipped' };
    }
    const rendered = this.templates.letter(prepared.template, prepared.context);
    try {
      await this.transport.send({
        from: this.mail.from,
        to: prepared.to,
        ...rendered,
        messageId: `<privacy-${job.mail}-${job.event}@${this.mail.from.slice(this.mail.from.lastIndexOf('@') + 1)}>`,
        headers: {
          'Auto-Submitted': 'auto-generated',
          'X-Auto-Response-Suppress': 'All',
          // Answers go to whoever handles privacy, not back into notice intake.
          'Reply-To': this.contactEmail(),
        },
      });
    } catch (error) {
      // A relay's refusal often quotes the address; the reason goes to Redis and the log without it.
      const reason = redactPersonalData(describeSmtpFailure(error));
      const permanent = classifySmtpFailure(error) === 'permanent';
      this.logger.warn(`Privacy mail ${job.mail} of request ${row.id} not sent: ${reason}`);
      if (!permanent && !lastTry) return { outcome: 'retry', reason };
      await this.record(row, job, 'mail.failed', { permanent });
      return { outcome: 'failed', reason };
    }
    await this.record(row, job, 'mail.sent', {});
    return { outcome: 'sent' };
  }

  private async prepare(
    m: EntityManager,
    row: PrivacyRequestRow,
    job: SendPrivacyMail,
  ): Promise<Prepared | { skip: 'no_address' | 'stale' }> {
    // The pages our links open speak the letter's language, whatever the browser that opens them asks for.
    const lang = `?lang=${row.language}`;
    const base = {
      locale: row.language,
      site: { name: this.app.siteName, url: this.app.publicUrl },
      controller: this.privacy.controller ?? this.app.siteName,
      contactEmail: this.contactEmail(),
      privacyUrl: `${this.app.publicUrl}/privacy${lang}`,
      kind: row.kind,
      minor: row.minor,
      access: row.kind === PrivacyRequestKind.Access,
      receivedAt: row.received_at,
      dueAt: row.due_at,
    };
    switch (job.mail) {
      case 'confirm': {
        if (row.confirmed_at || !isOpen(row.status) || !row.confirm_token_hash) return { skip: 'stale' };
        const to = await this.address(m, row.minor ? row.requester_email : row.email);
        if (!to) return { skip: 'no_address' };
        const expiresAt = new Date(row.received_at.getTime() + this.privacy.requests.linkHours * 3_600_000);
        const link = `${this.app.publicUrl}/privacy/confirm/${confirmToken(this.app.secret, row.id)}${lang}`;
        return { to, template: 'privacy_confirm', context: { ...base, link, expiresAt } };
      }
      case 'export': {
        if (!row.export_expires_at || row.status !== PrivacyRequestStatus.Done) return { skip: 'stale' };
        const to = await this.address(m, row.email);
        if (!to) return { skip: 'no_address' };
        const link = `${this.app.publicUrl}/privacy/export/${exportToken(this.app.secret, row.id, row.export_expires_at)}`;
        return {
          to,
          template: 'privacy_export',
          context: { ...base, link: `${link}${lang}`, jsonLink: `${link}.json`, expiresAt: row.export_expires_at },
        };
      }
      case 'outcome': {
        if (isOpen(row.status)) return { skip: 'stale' };
        const to = await this.address(m, row.reply_to ?? (row.minor ? row.requester_email : row.email));
        if (!to) return { skip: 'no_address' };
        const reason = await this.personal.openOne(m, row.decision_reason);
        return {
          to,
          template: 'privacy_outcome',
          context: {
            ...base,
            rejected: row.status === PrivacyRequestStatus.Rejected,
            partial: row.status === PrivacyRequestStatus.PartiallyRetained,
            retained: row.outcome?.retained ?? [],
            reason: reason === ERASED || reason === WITHHELD ? null : reason,
          },
        };
      }
    }
  }

  /** Writes what became of the mail; the outcome's copy of the address goes with it, its work done. */
  private async record(
    row: PrivacyRequestRow,
    job: SendPrivacyMail,
    action: 'mail.sent' | 'mail.failed' | 'mail.skipped',
    extra: { permanent?: boolean; why?: 'no_address' | 'stale' },
  ): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const base = { mail: job.mail, queued: job.event };
      if (action === 'mail.sent') await this.requests.event(m, row.id, WORKER, action, base);
      else if (action === 'mail.failed')
        await this.requests.event(m, row.id, WORKER, action, { ...base, permanent: extra.permanent ?? true });
      else await this.requests.event(m, row.id, WORKER, action, { ...base, why: extra.why ?? 'stale' });
      if (job.mail !== 'outcome' || isOpen(row.status)) return;
      const [current] = await m.query<{ reply_to: string | null }[]>(
        `SELECT reply_to FROM privacy_requests WHERE id = $1 FOR UPDATE`,
        [row.id],
      );
      const subject = this.personal.subjectOf(current?.reply_to);
      if (!subject) return;
      await this.personal.erase(m, [subject]);
      await this.requests.update(m, row.id, { reply_to: null });
      await this.requests.event(m, row.id, WORKER, 'reply_address.erased', {});
    });
  }

  /** Whether this mail's outcome is recorded already (a job run again after it finished): nothing to do twice. */
  private async alreadyRecorded(m: EntityManager, job: SendPrivacyMail): Promise<boolean> {
    const [row] = await m.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM privacy_request_events
       WHERE request_id = $1 AND action IN ('mail.sent', 'mail.failed', 'mail.skipped') AND detail->>'queued' = $2`,
      [job.requestId, job.event],
    );
    return row.n > 0;
  }

  private async address(m: EntityManager, sealed: string | null): Promise<string | null> {
    const address = await this.personal.openOne(m, sealed);
    return address && address !== ERASED && address !== WITHHELD ? address : null;
  }

  private contactEmail(): string {
    return this.privacy.contactEmail ?? this.app.agent.email;
  }
}
