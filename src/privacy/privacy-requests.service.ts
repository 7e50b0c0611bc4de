import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { type AppConfig, appConfig, type PrivacyConfig, privacyConfig } from '../core/config';
import { CLOCK, type Clock } from '../core/clock';
import type { Locale } from '../core/i18n/locales';
import { ERASED, PersonalData, WITHHELD } from '../core/privacy/personal-data.service';
import { JobName, type PrivacyMailKind, QueueName } from '../core/queue/jobs';
import { OutboxService } from '../core/queue/outbox.service';
import { ErasureService, type Retained, type SubjectExport } from './erasure.service';
import { confirmToken, isConfirmTokenShaped, readExportToken, tokenHash, wholeSeconds } from './privacy-links';
import {
  assertPrivacyRequestMove,
  isOpen,
  type PrivacyRequestAction,
  type PrivacyRequestEventDetails,
  PrivacyRequestRefusedError,
} from './privacy-request-workflow';
import {
  PrivacyRequestChannel as Channel,
  PrivacyRequestKind as Kind,
  PrivacyRequestStatus as S,
} from './privacy-request.entity';
import {
  type PrivacyRequestChange,
  type PrivacyRequestEventRow,
  type PrivacyRequestRow,
  PrivacyRequestsRepository,
  type QueueScope,
} from './privacy-requests.repository';

/** Who asks: the address the data is about, what they want, and (a minor's) the parent's or guardian's address. */
export interface PrivacyRequestInput {
  kind: Kind;
  email: string;
  minor: boolean;
  /** A minor's request: the parent's or guardian's own address, where our mail goes. */
  requesterEmail?: string;
  details?: string;
  /** The language to write to the requester in: the form's; DEFAULT_LOCALE without one. */
  language?: Locale;
}

/** What the requester, the CLI and staff are told of a request. */
export interface PrivacyRequestSummary {
  id: string;
  kind: Kind;
  minor: boolean;
  status: S;
  retained: Retained[];
}

export interface PrivacyQueueItem {
  id: string;
  kind: Kind;
  minor: boolean;
  status: S;
  channel: Channel;
  confirmed: boolean;
  receivedAt: Date;
  dueAt: Date;
  decidedAt: Date | null;
  overdue: boolean;
}

export interface PrivacyRequestDetail extends PrivacyQueueItem {
  /** The address the data is about: "[withheld]" while a minor's request hides it, "[erased]" once erased. */
  email: string | null;
  requesterEmail: string | null;
  details: string | null;
  decidedBy: string | null;
  decisionReason: string | null;
  retained: Retained[];
  caseIds: string[];
  exportExpiresAt: Date | null;
  /** Whether we hold anything about the address (for staff: never told to a requester before the address is proved). */
  holdsData: boolean | null;
  /** What staff may do now. */
  actions: PrivacyStaffAction[];
  events: PrivacyRequestEventRow[];
}

export type PrivacyStaffAction = 'erase' | 'confirm-minor' | 'reject' | 'export';

export type ConfirmResult =
  | { outcome: 'confirmed' | 'already'; kind: Kind; minor: boolean; status: S; dueAt: Date }
  | { outcome: 'expired' | 'settled' | 'invalid' };

export type ExportResult = { outcome: 'ok'; data: SubjectExport; expiresAt: Date } | { outcome: 'gone' | 'invalid' };

/** The requester, as the event log names them. */
const REQUESTER = 'requester';

/**
 * Requests from the people the data is about: access and erasure, and a parent's or guardian's for a minor's data.
 * Every change of a request's status goes through move() here, checked against the workflow's table and written to
 * the request's event log in the same transaction; mail is written to the outbox in that transaction too.
 */
@Injectable()
export class PrivacyRequestsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly requests: PrivacyRequestsRepository,
    private readonly personal: PersonalData,
    private readonly erasure: ErasureService,
    private readonly outbox: OutboxService,
    @Inject(privacyConfig.KEY) private readonly config: PrivacyConfig,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * A request from the public form. The answer is the same whatever we hold about the address; the requester proves
   * the address by the link mailed to it (to the parent's or guardian's for a minor's). A minor's data is withheld at
   * once, before any confirmation: a parent may not control the child's address.
   */
  submit(input: PrivacyRequestInput): Promise<PrivacyRequestSummary> {
    return this.dataSource.transaction(async (m) => {
      if (!input.minor) {
        const live = await this.requests.liveUnconfirmed(
          m,
          this.personal.hashEmail(input.email),
          input.kind,
          this.config.requests.linkHours,
        );
        if (live) {
          // Asking again while the link is live sends no second mail, so that the form cannot flood a mailbox.
          await this.requests.event(m, live.id, REQUESTER, 'request.repeated', { kind: input.kind });
          return summary(live);
        }
      }
      const row = await this.create(m, input, Channel.Form, REQUESTER);
      if (row.confirm_token_hash) await this.queueMail(m, row.id, 'confirm', REQUESTER);
      return summary(row);
    });
  }

  /** A request staff entered (the command line): no mailed confirmation, staff have checked who asks. */
  submitByStaff(input: PrivacyRequestInput, actor: string): Promise<PrivacyRequestSummary> {
    return this.dataSource.transaction(async (m) => summary(await this.create(m, input, Channel.Staff, actor)));
  }

  /**
   * The mailed link, followed and its button pressed: the address is proved. An access request's export link is
   * mailed now; an erasure waits for staff; a minor's stays withheld until staff decide.
   */
  confirm(token: string): Promise<ConfirmResult> {
    if (!isConfirmTokenShaped(token)) return Promise.resolve({ outcome: 'invalid' });
    return this.dataSource.transaction(async (m): Promise<ConfirmResult> => {
      const row = await this.requests.byConfirmTokenHash(m, tokenHash(token), this.config.requests.linkHours);
      if (!row) return { outcome: 'invalid' };
      if (row.confirmed_at)
        return { outcome: 'already', kind: row.kind, minor: row.minor, status: row.status, dueAt: row.due_at };
      if (!isOpen(row.status)) return { outcome: 'settled' };
      if (row.expired) return { outcome: 'expired' };
      let done: PrivacyRequestRow;
      if (row.kind === Kind.Access) {
        done = await this.move(m, row, S.Done, REQUESTER, 'address.confirmed', { confirmed_at: new Date() });
        done = await this.issueExport(m, done, REQUESTER);
      } else if (row.minor) {
        done = await this.requests.update(m, row.id, { confirmed_at: new Date() });
        await this.requests.event(m, row.id, REQUESTER, 'address.confirmed', { status: done.status });
      } else {
        done = await this.move(m, row, S.Confirmed, REQUESTER, 'address.confirmed', { confirmed_at: new Date() });
      }
      return { outcome: 'confirmed', kind: done.kind, minor: done.minor, status: done.status, dueAt: done.due_at };
    });
  }

  /** Staff carry out a proved erasure (not a minor's: that is confirmMinor). */
  carryOutErasure(id: string, actor: string): Promise<PrivacyRequestSummary> {
    return this.dataSource.transaction(async (m) => {
      const row = await this.lock(m, id);
      if (row.kind !== Kind.Erasure) throw refused('This is an access request: send the export instead.');
      if (row.minor) throw refused("This is a parent's or guardian's request for a minor: confirm it instead.");
      assertPrivacyRequestMove(row.status, S.Done);
      if (row.channel === Channel.Form && !row.confirmed_at) {
        throw refused(
          'The requester has not confirmed the address yet (the link we mailed to it). Carry the erasure out once they have, or reject the request.',
        );
      }
      return summary(await this.erase(m, row, actor));
    });
  }

  /** Staff confirm a parent's or guardian's request for a minor's data: it is erased now. */
  confirmMinor(id: string, actor: string): Promise<PrivacyRequestSummary> {
    return this.dataSource.transaction(async (m) => {
      const row = await this.lock(m, id);
      if (!row.minor) throw refused("This is not a request for a minor's data: carry the erasure out instead.");
      assertPrivacyRequestMove(row.status, S.Done);
      return summary(await this.erase(m, row, actor));
    });
  }

  /** Staff refuse the request, saying why; a minor's withheld data is released. The requester is told. */
  reject(id: string, reason: string, actor: string): Promise<PrivacyRequestSummary> {
    return this.dataSource.transaction(async (m) => {
      const row = await this.lock(m, id);
      assertPrivacyRequestMove(row.status, S.Rejected);
      if (row.minor) {
        await this.erasure.release(m, await this.subjectAddress(m, row), row.id);
        await this.requests.event(m, row.id, actor, 'data.released', {});
      }
      const [reasonSealed] = await this.sealForRequester(m, row, [reason]);
      const done = await this.move(m, row, S.Rejected, actor, 'request.rejected', {
        decided_by: actor,
        decided_at: new Date(),
        decision_reason: reasonSealed,
      });
      if (this.replyAddressProved(row)) await this.queueMail(m, row.id, 'outcome', actor);
      return summary(done);
    });
  }

  /** Mails (again) a link to the access export; an older link stops working. */
  sendExport(id: string, actor: string): Promise<PrivacyRequestSummary & { exportExpiresAt: Date }> {
    return this.dataSource.transaction(async (m) => {
      let row = await this.lock(m, id);
      if (row.kind !== Kind.Access) throw refused('Only an access request has an export.');
      if (row.status !== S.Done) row = await this.move(m, row, S.Done, actor, 'export.issued', {}, false);
      row = await this.issueExport(m, row, actor);
      return { ...summary(row), exportExpiresAt: row.export_expires_at as Date };
    });
  }

  /** The export handed over directly, for the command line (which prints it): no link, no mail. */
  deliverExport(id: string, actor: string): Promise<PrivacyRequestSummary & { export: SubjectExport }> {
    return this.dataSource.transaction(async (m) => {
      const row = await this.lock(m, id);
      if (row.kind !== Kind.Access) throw refused('Only an access request has an export.');
      const data = await this.erasure.export(m, await this.subjectAddress(m, row));
      const done = row.status === S.Done ? row : await this.move(m, row, S.Done, actor, 'export.delivered', {}, false);
      await this.requests.event(m, row.id, actor, 'export.delivered', { status: done.status, via: 'cli' });
      return { ...summary(done), export: data };
    });
  }

  /**
   * What an export link shows: built now from what we hold (nothing of it is stored), while the link is the
   * request's latest and has not expired. A person whose data is withheld or erased meanwhile gets nothing.
   */
  openExport(token: string, format: 'html' | 'json'): Promise<ExportResult> {
    const named = readExportToken(this.app.secret, token);
    if (!named) return Promise.resolve({ outcome: 'invalid' });
    return this.dataSource.transaction(async (m): Promise<ExportResult> => {
      const row = await this.requests.get(m, named.requestId);
      const latest = row?.export_expires_at && wholeSeconds(row.export_expires_at).getTime();
      if (!row || row.kind !== Kind.Access || latest !== named.expiresAt.getTime()) return { outcome: 'invalid' };
      if (named.expiresAt.getTime() <= this.clock().getTime() || row.status !== S.Done) return { outcome: 'gone' };
      const email = await this.personal.openOne(m, row.email);
      if (!email || email === ERASED || email === WITHHELD) return { outcome: 'gone' };
      const data = await this.erasure.export(m, email);
      await this.requests.event(m, row.id, REQUESTER, 'export.opened', { format });
      return { outcome: 'ok', data, expiresAt: named.expiresAt };
    });
  }

  /** The staff queue: open requests by deadline (or settled ones, newest first), each with its overdue flag. */
  async queue(scope: QueueScope = 'open', now = this.clock()): Promise<PrivacyQueueItem[]> {
    const rows = await this.requests.list(this.dataSource.manager, scope, 500);
    return rows.map((r) => queueItem(r, now));
  }

  async detail(id: string, now = this.clock()): Promise<PrivacyRequestDetail> {
    const m = this.dataSource.manager;
    const row = await this.requests.get(m, id);
    if (!row) throw new PrivacyRequestRefusedError(`There is no privacy request ${id}.`, 'not_found');
    const [email, requesterEmail, details, decisionReason] = await this.personal.open(m, [
      row.email,
      row.requester_email,
      row.details,
      row.decision_reason,
    ]);
    const address = await this.personal.openOne(m, row.email, { includeWithheld: true });
    const holdsData = address && address !== ERASED ? await this.erasure.holdsAnything(m, address) : null;
    return {
      ...queueItem(row, now),
      email,
      requesterEmail,
      details,
      decidedBy: row.decided_by,
      decisionReason,
      retained: row.outcome?.retained ?? [],
      caseIds: row.outcome?.caseIds ?? [],
      exportExpiresAt: row.export_expires_at,
      holdsData,
      actions: staffActions(row),
      events: await this.requests.events(m, row.id),
    };
  }

  private async create(
    m: EntityManager,
    input: PrivacyRequestInput,
    channel: Channel,
    actor: string,
  ): Promise<PrivacyRequestRow> {
    if (input.minor && input.kind !== Kind.Erasure) {
      throw refused("A parent's or guardian's request for a minor's data is an erasure request.", 'invalid');
    }
    const id = randomUUID();
    const subject = await this.personal.subject(m, input.email);
    const [email] = await this.personal.sealAll(m, subject, [input.email]);
    let requesterEmail: string | null = null;
    let wordsSubject = subject;
    if (input.minor && input.requesterEmail) {
      // The parent's words and address are theirs, not the child's: they stay readable while the child's are hidden.
      wordsSubject = await this.personal.subject(m, input.requesterEmail);
      requesterEmail = await this.personal.seal(m, wordsSubject, input.requesterEmail);
    }
    const details = await this.personal.seal(m, wordsSubject, input.details?.trim() || null);
    const status = input.minor ? S.Suppressed : S.Received;
    const row = await this.requests.insert(m, {
      id,
      kind: input.kind,
      minor: input.minor,
      status,
      channel,
      email: email as string,
      email_hash: this.personal.hashEmail(input.email),
      requester_email: requesterEmail,
      details,
      language: input.language ?? this.app.defaultLocale,
      confirm_token_hash:
        channel === Channel.Form && (!input.minor || requesterEmail)
          ? tokenHash(confirmToken(this.app.secret, id))
          : null,
      dueHours: input.minor ? this.config.requests.minorHours : this.config.requests.days * 24,
    });
    await this.requests.event(m, id, actor, 'request.received', { kind: row.kind, minor: row.minor, channel, status });
    if (input.minor) {
      await this.erasure.withhold(m, input.email, id);
      await this.requests.event(m, id, actor, 'data.withheld', {});
    }
    return row;
  }

  /**
   * Erases the person's data (ErasureService: everywhere but what a hold or the law keeps) and settles the request
   * with the outcome. The requester is told by mail when their address is proved: the address the outcome goes to
   * is copied under a subject of the request's own first, since the erasure may erase the one it is sealed under.
   */
  private async erase(m: EntityManager, row: PrivacyRequestRow, actor: string): Promise<PrivacyRequestRow> {
    const email = await this.subjectAddress(m, row);
    let replyTo: string | null = null;
    if (this.replyAddressProved(row)) {
      const address = await this.personal.openOne(m, row.minor ? row.requester_email : row.email, {
        includeWithheld: true,
      });
      if (address && address !== ERASED)
        replyTo = await this.personal.seal(m, await this.personal.subject(m, null), address);
    }
    const outcome =
      email === ERASED
        ? { status: 'done' as const, retained: [] as Retained[], caseIds: [] as string[] }
        : await this.erasure.erase(m, email, actor, row.id);
    const status = outcome.status === 'partially_retained' ? S.PartiallyRetained : S.Done;
    const done = await this.move(m, row, status, actor, 'erasure.carried_out', {
      decided_by: actor,
      decided_at: new Date(),
      outcome: { retained: outcome.retained, caseIds: outcome.caseIds },
      reply_to: replyTo,
    });
    if (replyTo) await this.queueMail(m, row.id, 'outcome', actor);
    return done;
  }

  /**
   * The one door for a request's status: checks the move against the workflow's table, writes it with `change`, and
   * logs `action` (with the new status) unless the caller logs its own step.
   */
  private async move<A extends PrivacyRequestAction>(
    m: EntityManager,
    row: PrivacyRequestRow,
    to: S,
    actor: string,
    action: A,
    change: PrivacyRequestChange,
    log = true,
  ): Promise<PrivacyRequestRow> {
    assertPrivacyRequestMove(row.status, to);
    const done = await this.requests.update(m, row.id, { ...change, status: to });
    if (log) await this.requests.event(m, row.id, actor, action, eventDetail(action, row, done));
    return done;
  }

  private async issueExport(m: EntityManager, row: PrivacyRequestRow, actor: string): Promise<PrivacyRequestRow> {
    const expiresAt = wholeSeconds(new Date(this.clock().getTime() + this.config.requests.linkHours * 3_600_000));
    const done = await this.requests.update(m, row.id, { export_expires_at: expiresAt });
    await this.requests.event(m, row.id, actor, 'export.issued', {
      status: done.status,
      expiresAt: expiresAt.toISOString(),
    });
    await this.queueMail(m, row.id, 'export', actor);
    return done;
  }

  private async queueMail(m: EntityManager, requestId: string, mail: PrivacyMailKind, actor: string): Promise<void> {
    const event = await this.requests.event(m, requestId, actor, 'mail.queued', { mail });
    await this.outbox.enqueue(m, [
      { queue: QueueName.Privacy, name: JobName.SendPrivacyMail, data: { requestId, mail, event } },
    ]);
  }

  /** The address the data is about, in plain text (a minor's too: only the erasure and its release read it). */
  private async subjectAddress(m: EntityManager, row: PrivacyRequestRow): Promise<string> {
    return (await this.personal.openOne(m, row.email, { includeWithheld: true })) ?? ERASED;
  }

  /** Whether the address our mail would go to is known to be the requester's: proved by the link, or staff's word. */
  private replyAddressProved(row: PrivacyRequestRow): boolean {
    if (row.minor) return row.requester_email !== null && row.confirmed_at !== null;
    return row.channel === Channel.Staff || row.confirmed_at !== null;
  }

  /** Seals the requester's words (a reason they are told) under the requester's own subject. */
  private async sealForRequester(
    m: EntityManager,
    row: PrivacyRequestRow,
    values: string[],
  ): Promise<(string | null)[]> {
    const owner = this.personal.subjectOf(row.minor ? row.requester_email : row.email);
    const subject = owner ?? (await this.personal.subject(m, null));
    try {
      return await this.personal.sealAll(m, subject, values);
    } catch {
      // Their subject is erased already: the words get a subject of their own.
      return this.personal.sealAll(m, await this.personal.subject(m, null), values);
    }
  }

  private async lock(m: EntityManager, id: string): Promise<PrivacyRequestRow> {
    const row = await this.requests.get(m, id, true);
    if (!row) throw new PrivacyRequestRefusedError(`There is no privacy request ${id}.`, 'not_found');
    return row;
  }
}

function refused(message: string, kind: 'conflict' | 'invalid' = 'conflict'): PrivacyRequestRefusedError {
  return new PrivacyRequestRefusedError(message, kind);
}

function summary(row: PrivacyRequestRow): PrivacyRequestSummary {
  return { id: row.id, kind: row.kind, minor: row.minor, status: row.status, retained: row.outcome?.retained ?? [] };
}

function queueItem(
  row: Pick<
    PrivacyRequestRow,
    'id' | 'kind' | 'minor' | 'status' | 'channel' | 'confirmed_at' | 'received_at' | 'due_at' | 'decided_at'
  >,
  now: Date,
): PrivacyQueueItem {
  return {
    id: row.id,
    kind: row.kind,
    minor: row.minor,
    status: row.status,
    channel: row.channel,
    confirmed: row.confirmed_at !== null,
    receivedAt: row.received_at,
    dueAt: row.due_at,
    decidedAt: row.decided_at,
    overdue: isOpen(row.status) && row.due_at.getTime() < now.getTime(),
  };
}

/** What staff may do with a request in its status. */
function staffActions(row: PrivacyRequestRow): PrivacyStaffAction[] {
  const actions: PrivacyStaffAction[] = [];
  if (row.kind === Kind.Access && row.status !== S.Rejected) actions.push('export');
  if (row.kind === Kind.Erasure && row.minor && row.status === S.Suppressed) actions.push('confirm-minor');
  if (
    row.kind === Kind.Erasure &&
    !row.minor &&
    isOpen(row.status) &&
    (row.channel === Channel.Staff || row.confirmed_at)
  )
    actions.push('erase');
  if (isOpen(row.status)) actions.push('reject');
  return actions;
}

/** The event detail of a status move, from the row before and after: statuses and ids only. */
function eventDetail<A extends PrivacyRequestAction>(
  action: A,
  before: PrivacyRequestRow,
  after: PrivacyRequestRow,
): PrivacyRequestEventDetails[A] {
  const details: Partial<{ [K in PrivacyRequestAction]: PrivacyRequestEventDetails[K] }> = {
    'address.confirmed': { status: after.status },
    'erasure.carried_out': {
      status: after.status,
      retained: after.outcome?.retained.length ?? 0,
      cases: after.outcome?.caseIds ?? [],
    },
    'request.rejected': { from: before.status },
  };
  const detail = details[action];
  if (!detail) throw new Error(`No status-move detail for ${action}`);
  return detail;
}
