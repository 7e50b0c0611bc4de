import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { audit } from '../cases/audit';
import { CaseTransitionsService } from '../cases/case-transitions.service';
import { statusAfterCounterNotice, statusAfterReply } from '../cases/case-workflow';
import type { CaseStatus } from '../cases/case.entity';
import { recordReportedLinks } from '../cases/link-transitions';
import { complainantHashes, earlierNotices, insertNotice, setNoticeFlags } from '../cases/notice-records';
import { sealChecklist } from '../cases/sealed-checklist';
import { NoticeChannel } from '../cases/notice.entity';
import { routesAgain } from '../cases/revision-policy';
import { type ChecklistResult, replyText } from '../checklist';
import { JobName, QueueName } from '../core/queue/jobs';
import { PersonalData } from '../core/privacy/personal-data.service';
import { OutboxService } from '../core/queue/outbox.service';
import type { RecordedNotice, RevisionRequest } from './intake-request';
import { holds, NOT_THE_COMPLAINANT, NOT_THE_TAKEDOWN_RECORD, NoticeFlag, STICKY_HOLD_FLAGS } from './notice-flags';
import { NoticeReader } from './notice-reader.service';
import { mergeStructured } from './structured-notice';
import type { AnalysisResult } from './text-analysis/text-analysis.service';

interface CaseForRevision {
  id: string;
  status: CaseStatus;
  checklist: ChecklistResult;
}

/**
 * What comes after a case's first notice, by email into the caller's transaction: a reply that revises the notice,
 * and the uploader's counter-notice. Each is recorded as a notice of the case and moves the case only through the
 * status door.
 */
@Injectable()
export class RevisionsService {
  constructor(
    private readonly outbox: OutboxService,
    private readonly reader: NoticeReader,
    private readonly transitions: CaseTransitionsService,
    private readonly vault: PersonalData,
  ) {}

  /**
   * A reply to our letter to the uploader: their counter-notice. It is recorded on the case as a notice of its own,
   * checked as a counter-notice and flagged for staff, and the case goes to review through the status door
   * (statusAfterCounterNotice: a closed one is reopened on a fresh clock; a withdrawn one stays withdrawn, and the
   * refusal is in its audit log for staff). It is not a revision: the case's takedown checklist, its links and its
   * routing are left alone, and its links are not recorded (they name what the uploader wants restored, not
   * anything to take down).
   */
  async counterNotice(
    manager: EntityManager,
    caseId: string,
    request: RevisionRequest,
    read: AnalysisResult,
  ): Promise<RecordedNotice> {
    const checklist = read.checklist;
    const [kase] = await manager.query<{ id: string; status: CaseStatus }[]>(
      `SELECT id, status FROM cases WHERE id = $1 FOR UPDATE`,
      [caseId],
    );
    const flags = [...new Set([...request.email.flags, NoticeFlag.CounterNotice, ...read.flags])];
    const subjectId = await this.vault.subject(manager, request.email.senderEmail);
    const noticeId = await insertNotice(manager, this.vault, {
      ...fromEmail(caseId, request, flags),
      subjectId,
      checklist: await sealChecklist(this.vault, manager, subjectId, checklist),
      linkCount: 0,
    });
    const { status } = await this.transitions.propose(manager, kase, statusAfterCounterNotice(kase.status), 'sender');
    await audit(manager, caseId, 'sender', 'notice.counter_notice', {
      channel: NoticeChannel.Email,
      complete: checklist.complete,
      missing: checklist.missing,
      flags,
      caseStatus: status,
    });
    return { caseId, noticeId, status, flags, rerouted: false };
  }

  /**
   * A reply to one of a case's letters: kept as a revised notice of that case. The checklist runs again over the
   * case's whole record (every notice's text, replies without what they quote, and structured fields), new links
   * join the case, and when the case has just become complete, or gained links, it goes back to the router
   * (routesAgain). Its status goes through the status door (statusAfterReply): a reply to a rejected case brings it
   * back to staff. A reply from an address that is not the complainant's is kept but flagged, and then nothing is
   * done automatically.
   */
  async revise(
    manager: EntityManager,
    caseId: string,
    request: RevisionRequest,
    reply: AnalysisResult,
  ): Promise<RecordedNotice> {
    const { links, checklist: own } = reply;
    const [kase] = await manager.query<CaseForRevision[]>(
      `SELECT id, status, checklist FROM cases WHERE id = $1 FOR UPDATE`,
      [caseId],
    );
    const all = await earlierNotices(manager, this.vault, caseId);
    // The case's record is what its complainant sent: a stranger's reply and the uploader's counter-notice stay
    // on the case for staff, but never count towards the takedown's checklist.
    const earlier = all.filter((n) => !n.flags.some((f) => NOT_THE_TAKEDOWN_RECORD.includes(f)));
    const flags: string[] = [...request.email.flags, ...reply.flags];
    const known = await complainantHashes(manager, this.vault, caseId);
    if (!known.has(this.vault.hashEmail(request.email.senderEmail))) flags.push(NoticeFlag.SenderNotComplainant);

    const subjectId = await this.vault.subject(manager, request.email.senderEmail);
    const noticeId = await insertNotice(manager, this.vault, {
      ...fromEmail(caseId, request, flags),
      subjectId,
      checklist: await sealChecklist(this.vault, manager, subjectId, own),
      linkCount: links.length,
    });
    const added = await recordReportedLinks(manager, caseId, noticeId, links);

    // The first notice is read as sent; each reply without the letter it quotes. A stranger's reply is not read in.
    const fromComplainant = !flags.some((f) => NOT_THE_COMPLAINANT.includes(f));
    const texts = [...earlier.map((n) => n.raw_text), fromComplainant ? request.text : null]
      .map((t, i) => (t === null ? '' : i === 0 ? t : replyText(t)))
      .filter((t) => t.trim() !== '');
    const structured = mergeStructured(earlier.map((n) => n.structured));
    // The whole record is read again; were its text to run out of time, the case keeps the checklist it had.
    const record = await this.reader.readRecord({ structured, text: texts.join('\n\n') });
    // An erased sender's notice cannot be read again: the case keeps the checklist it had, as when reading fails.
    const keep = record.flags.length > 0 || earlier.some((n) => n.erased);
    const checklist = keep ? kase.checklist : record.checklist;
    // The case's checklist quotes the complainant's record: sealed under the subject of the case's first notice.
    const [first] = await manager.query<{ subject_id: string | null }[]>(
      `SELECT subject_id FROM notices WHERE case_id = $1 AND subject_id IS NOT NULL ORDER BY received_at, id LIMIT 1`,
      [caseId],
    );
    const stored =
      checklist === kase.checklist
        ? checklist
        : await sealChecklist(this.vault, manager, first?.subject_id ?? subjectId, checklist);
    if (record.flags.length > 0) {
      flags.push(...record.flags);
      await setNoticeFlags(manager, noticeId, flags);
    }

    // Held when THIS notice is flagged (a stranger's reply, a DMARC failure): an earlier flagged notice stays
    // flagged for staff but does not stop a later clean reply from the complainant completing and routing the case,
    // or anyone who can name a case could freeze it. Only a counter-notice (STICKY_HOLD_FLAGS) holds the whole case.
    const held = holds(flags) || all.some((n) => n.flags.some((f) => STICKY_HOLD_FLAGS.includes(f)));
    const rerouted = routesAgain({
      status: kase.status,
      held,
      actionable: checklist.kind === 'takedown' && checklist.complete,
      wasComplete: kase.checklist.complete,
      newPendingLinks: added.pending,
    });
    await manager.query(
      `UPDATE cases SET checklist = $2, kind = $3, routed_at = CASE WHEN $4 THEN NULL ELSE routed_at END,
                        updated_at = now()
       WHERE id = $1`,
      [caseId, JSON.stringify(stored), checklist.kind, rerouted],
    );
    // An answer to our request for information restarts the clock: the case waits on us again.
    const proposal = statusAfterReply(kase.status, checklist, held);
    const { status } = await this.transitions.propose(manager, kase, proposal, 'sender');
    await audit(manager, caseId, 'sender', 'notice.revised', {
      channel: NoticeChannel.Email,
      missing: checklist.missing,
      newLinks: added.inserted,
      flags,
      rerouted,
    });
    if (rerouted) {
      await this.outbox.enqueue(manager, [
        { queue: QueueName.Cases, name: JobName.RouteCase, data: { caseId, revision: all.length + 1 } },
      ]);
    }
    return { caseId, noticeId, status, flags, rerouted };
  }
}

/** The columns of an emailed revision or counter-notice that say where it came from. */
function fromEmail(caseId: string, request: RevisionRequest, flags: readonly string[]) {
  return {
    caseId,
    channel: NoticeChannel.Email,
    rawText: request.text,
    structured: null,
    inboundMessageId: request.email.inboundMessageId,
    senderEmail: request.email.senderEmail,
    auth: request.email.auth,
    flags,
  };
}
