import type { DataSource, EntityManager } from 'typeorm';
import { ELEMENT_LABELS, type ElementName } from '../checklist';
import { complainantAddress } from '../cases/complainant-address';
import { readProblem } from '../cases/counter-notice-problems';
import type { PersonalData } from '../core/privacy/personal-data.service';
import type { LetterKind } from './letter.entity';
import type { LetterCase, LettersService } from './letters.service';

/** A counter-notice as its three letters tell it: the forward, the receipt, and the deficiency letter. */
export interface CounterNoticeForLetter {
  id: string;
  notifier: {
    name: string | null;
    email: string | null;
    phone: string | null;
    address: string | null;
    country: string | null;
  };
  removedUrls: string[];
  text: string | null;
  missing: ElementName[];
  problems: string[];
  restoreNotBefore: Date | null;
  restoreNotAfter: Date | null;
  restoreDueAt: Date | null;
}

interface CounterNoticeRow {
  id: string;
  notifier_name: string | null;
  notifier_email: string | null;
  notifier_phone: string | null;
  notifier_address: string | null;
  notifier_country: string | null;
  removed_urls: string[];
  raw_text: string | null;
  problems: string[];
  checklist: { missing: ElementName[] };
  restore_not_before: Date | null;
  restore_not_after: Date | null;
  restore_due_at: Date | null;
}

/**
 * A counter-notice with the text it was sent with, opened for its letters (a withheld person's too: letters about
 * them are held by the sender, not rewritten); the latest of the case when no id is given.
 */
export async function counterNoticeForLetter(
  db: DataSource | EntityManager,
  vault: PersonalData,
  caseId: string,
  id?: string,
): Promise<CounterNoticeForLetter | undefined> {
  const [row] = await db.query<CounterNoticeRow[]>(
    `SELECT c.id, c.notifier_name, c.notifier_email, c.notifier_phone, c.notifier_address, c.notifier_country,
            c.removed_urls, n.raw_text, c.problems, c.checklist, c.restore_not_before, c.restore_not_after,
            c.restore_due_at
     FROM counter_notices c JOIN notices n ON n.id = c.notice_id
     WHERE c.case_id = $1 AND ($2::uuid IS NULL OR c.id = $2)
     ORDER BY c.received_at DESC, c.id DESC LIMIT 1`,
    [caseId, id ?? null],
  );
  if (!row) return undefined;
  const m = 'manager' in db ? db.manager : db;
  await vault.openRows(
    m,
    [row],
    ['notifier_name', 'notifier_email', 'notifier_phone', 'notifier_address', 'notifier_country', 'raw_text'],
    { includeWithheld: true },
  );
  return {
    id: row.id,
    notifier: {
      name: row.notifier_name,
      email: row.notifier_email,
      phone: row.notifier_phone,
      address: row.notifier_address,
      country: row.notifier_country,
    },
    removedUrls: row.removed_urls,
    text: row.raw_text,
    missing: row.checklist.missing,
    problems: row.problems,
    restoreNotBefore: row.restore_not_before,
    restoreNotAfter: row.restore_not_after,
    restoreDueAt: row.restore_due_at,
  };
}

/** The templates' context: the counter-notice as sent, what it lacks, and the restore dates as days. */
export function counterNoticeLetterContext(c: CounterNoticeForLetter): object {
  return {
    counterNotice: { notifier: c.notifier, removedUrls: c.removedUrls, text: c.text },
    missing: c.missing.map((name) => ({ name, ...ELEMENT_LABELS[name] })),
    problems: c.problems.map(readProblem),
    restore: c.restoreDueAt
      ? { notBefore: day(c.restoreNotBefore), notAfter: day(c.restoreNotAfter), due: day(c.restoreDueAt) }
      : null,
  };
}

function day(at: Date | null): string | null {
  return at ? `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC` : null;
}

/**
 * One letter to each party of a counter-notice, the complainant and the counter-notifier, about what just happened to
 * it (`event`: restored, suit, withdrawn); keyed by the counter-notice and the event, so each is written once.
 */
export async function tellBothParties(
  m: EntityManager,
  letters: LettersService,
  vault: PersonalData,
  kase: LetterCase,
  kind: LetterKind,
  id: string,
  event: string,
  extra: object = {},
): Promise<void> {
  const counter = await counterNoticeForLetter(m, vault, kase.id, id);
  if (!counter) return;
  const context = { ...counterNoticeLetterContext(counter), ...extra };
  const key = `counter-notice:${id}:${event}`;
  // The same kind goes to both parties: the complainant's copy in the case's language, the uploader's in the default.
  await letters.record(m, kase, kind, key, await complainantAddress(m, vault, kase.id), context, {
    locale: kase.language,
  });
  await letters.record(m, kase, kind, `${key}:uploader`, counter.notifier.email, context);
}
