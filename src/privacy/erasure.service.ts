import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { audit } from '../cases/audit';
import { eraseCaseTexts, scrubCaseTexts } from '../cases/case-texts';
import { type AppConfig, appConfig } from '../core/config';
import { ERASED, PersonalData, WITHHELD } from '../core/privacy/personal-data.service';
import { RECIPIENT_ERASED } from '../letters/letter-sender.service';
import { recipientHash, recipientKey } from '../letters/recipient-cap';

/**
 * Something kept back from an erasure, and the reason the requester is told: `what` and `why` in English, as staff
 * read them; `reference` and `hold` (the held case and its hold's kind) let a letter word them in its reader's
 * language (privacyLetters.retained.*). Outcomes stored before these two were kept have the English only.
 */
export interface Retained {
  what: string;
  why: string;
  reference?: string;
  hold?: 'suit' | 'preservation';
}

export interface ErasureOutcome {
  /** done: nothing of theirs is left; partially_retained: `retained` says what a hold or the law keeps. */
  status: 'done' | 'partially_retained';
  retained: Retained[];
  /** The cases that held their data (their legal record stays, with the person shown as erased). */
  caseIds: string[];
}

/** What we hold about one person, for an access request: JSON-ready, decrypted. */
export interface SubjectExport {
  email: string;
  generatedAt: string;
  cases: {
    reference: string;
    role: string;
    receivedAt: string;
    status: string;
    /** Their personal data as held: field name → value. */
    data: Record<string, string | null>;
    notices: { channel: string; receivedAt: string; text: string | null }[];
    letters: { kind: string; sentAt: string | null; subject: string }[];
  }[];
  catalog: { page: string; field: string; value: string }[];
}

/** A person as the erasure finds them: their subject, their address's hashes, their cases. */
interface Person {
  email: string;
  subjectId: string | null;
  hash: string;
  mailbox: string;
  caseIds: string[];
}

/** Sealed text columns that may quote someone else (a letter to one party names the other), per table. */
const QUOTING_COLUMNS: { table: string; columns: string[] }[] = [
  { table: 'letters', columns: ['subject', 'text', 'html'] },
  { table: 'notices', columns: ['raw_text'] },
  { table: 'parties', columns: ['name', 'company', 'address'] },
  { table: 'counter_notices', columns: ['notifier_name', 'notifier_address'] },
];

const REQUEST_AUDIT = null;

/**
 * Erasure, withholding and export of one person's data, by e-mail address, across every place in the README's
 * inventory. The privacy-request workflow, retention and the CLI call it; it does not send mail or decide anything.
 *
 * Erasure overwrites the person's own values (parties, notices, counter-notices, letters, uploader links, takedown
 * records, the catalog's uploader address, raw mail, attachments, stored API answers, the letter cap's rows),
 * removes their address, phone and name from what others' records in the same cases quote, and then deletes their
 * data key (crypto-shredding), so that copies in backups cannot be read either. A case on legal hold is left whole
 * and named in `retained`; while one is, the key stays too.
 */
@Injectable()
export class ErasureService {
  constructor(
    private readonly vault: PersonalData,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  /** Whether we hold anything about this address (never told to a requester before they prove the address). */
  async holdsAnything(m: EntityManager, email: string): Promise<boolean> {
    const person = await this.find(m, email);
    return person.subjectId !== null || person.caseIds.length > 0;
  }

  /** A parent's request for a minor's data: hidden at once from every view, letter, export and job. */
  async withhold(m: EntityManager, email: string, request: string | null = REQUEST_AUDIT): Promise<void> {
    const person = await this.find(m, email);
    const subjectId = person.subjectId ?? (await this.vault.subject(m, email));
    await this.vault.withhold(m, [subjectId], true);
    for (const caseId of person.caseIds) await audit(m, caseId, 'privacy', 'privacy.withheld', { request });
  }

  /** Ends withholding (a minor's request that staff rejected). */
  async release(m: EntityManager, email: string, request: string | null = REQUEST_AUDIT): Promise<void> {
    const person = await this.find(m, email);
    if (!person.subjectId) return;
    await this.vault.withhold(m, [person.subjectId], false);
    for (const caseId of person.caseIds) await audit(m, caseId, 'privacy', 'privacy.released', { request });
  }

  /** Erases the person's data everywhere, but what a legal hold keeps; audits counts per case. */
  async erase(
    m: EntityManager,
    email: string,
    actor: string,
    request: string | null = REQUEST_AUDIT,
  ): Promise<ErasureOutcome> {
    const person = await this.find(m, email);
    // Locked as a hold is set and as retention works, so a hold set meanwhile is seen rather than overtaken.
    await m.query(`SELECT id FROM cases WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [person.caseIds]);
    const held = await m.query<{ case_id: string; reference: string; kind: string; created_at: Date }[]>(
      `SELECT h.case_id, c.reference, h.kind, h.created_at FROM legal_holds h JOIN cases c ON c.id = h.case_id
       WHERE h.case_id = ANY($1::uuid[]) AND h.released_at IS NULL ORDER BY c.reference`,
      [person.caseIds],
    );
    const heldIds = new Set(held.map((h) => h.case_id));
    const free = person.caseIds.filter((id) => !heldIds.has(id));
    const identifiers = await this.identifiers(m, person);
    for (const caseId of free) {
      const counts = await this.eraseInCase(m, person, caseId, identifiers);
      await audit(m, caseId, actor, 'privacy.erased', { request, ...counts, retained: false });
    }
    for (const caseId of heldIds)
      await audit(m, caseId, actor, 'privacy.erased', { request, values: 0, messages: 0, retained: true });
    await this.eraseOutsideCases(m, person, heldIds.size > 0, identifiers);
    const retained: Retained[] = held.map((h) => ({
      reference: h.reference,
      hold: h.kind === 'suit' ? 'suit' : 'preservation',
      what: `Case ${h.reference}: the notices, letters and contact details in it`,
      why:
        h.kind === 'suit'
          ? 'A court action about this case has been notified to us (17 U.S.C. 512(g)(2)(C)); the record is kept under legal hold until the action ends.'
          : 'The case is under a legal hold for a claim or a preservation request; the record is kept until the hold is released.',
    }));
    if (person.subjectId && heldIds.size === 0) await this.vault.erase(m, [person.subjectId]);
    return { status: retained.length > 0 ? 'partially_retained' : 'done', retained, caseIds: person.caseIds };
  }

  async export(m: EntityManager, email: string): Promise<SubjectExport> {
    const person = await this.find(m, email);
    const cases = await m.query<{ id: string; reference: string; status: string; created_at: Date }[]>(
      `SELECT id, reference, status, created_at FROM cases WHERE id = ANY($1::uuid[]) ORDER BY created_at`,
      [person.caseIds],
    );
    const out: SubjectExport['cases'] = [];
    for (const c of cases) {
      const parties = await m.query<Record<string, string | null>[]>(
        `SELECT role::text, name, company, email, phone, address FROM parties
         WHERE case_id = $1 AND (email_hash = $2 OR subject_id = $3)`,
        [c.id, person.hash, person.subjectId],
      );
      const counter = await m.query<Record<string, string | null>[]>(
        `SELECT 'counter_notifier' AS role, notifier_name AS name, notifier_email AS email, notifier_phone AS phone,
                notifier_address AS address, notifier_country AS country
         FROM counter_notices WHERE case_id = $1 AND (notifier_email_hash = $2 OR subject_id = $3)`,
        [c.id, person.hash, person.subjectId],
      );
      const uploader = await m.query<Record<string, string | null>[]>(
        `SELECT 'uploader' AS role, email FROM uploader_links WHERE case_id = $1 AND email_hash = $2`,
        [c.id, person.hash],
      );
      const rows = [...parties, ...counter, ...uploader];
      for (const r of rows)
        await this.vault.openRows(
          m,
          [r],
          Object.keys(r).filter((k) => k !== 'role'),
        );
      const notices = await m.query<{ channel: string; received_at: Date; raw_text: string | null }[]>(
        `SELECT channel::text, received_at, raw_text FROM notices
         WHERE case_id = $1 AND (sender_email_hash = $2 OR subject_id = $3) ORDER BY received_at`,
        [c.id, person.hash, person.subjectId],
      );
      await this.vault.openRows(m, notices, ['raw_text']);
      const letters = await m.query<{ kind: string; sent_at: Date | null; subject: string }[]>(
        `SELECT kind::text, sent_at, subject FROM letters WHERE case_id = $1 AND (subject_id = $2 OR recipient_key = $3)
         ORDER BY created_at`,
        [c.id, person.subjectId, person.mailbox],
      );
      await this.vault.openRows(m, letters, ['subject']);
      const data: Record<string, string | null> = {};
      for (const r of rows)
        for (const [k, v] of Object.entries(r)) if (k !== 'role' && v !== null) data[`${r.role}.${k}`] = v;
      out.push({
        reference: c.reference,
        role: [...new Set(rows.map((r) => r.role))].join(', ') || 'sender',
        receivedAt: c.created_at.toISOString(),
        status: c.status,
        data,
        notices: notices.map((n) => ({
          channel: n.channel,
          receivedAt: n.received_at.toISOString(),
          text: n.raw_text,
        })),
        letters: letters.map((l) => ({ kind: l.kind, sentAt: l.sent_at?.toISOString() ?? null, subject: l.subject })),
      });
    }
    const pages = await m.query<{ slug: string; uploader_email: string | null }[]>(
      `SELECT slug, uploader_email FROM software_pages WHERE uploader_email_hash = $1 ORDER BY slug`,
      [person.hash],
    );
    await this.vault.openRows(m, pages, ['uploader_email']);
    return {
      email,
      generatedAt: new Date().toISOString(),
      cases: out,
      catalog: pages.map((p) => ({ page: p.slug, field: 'uploader_email', value: p.uploader_email ?? '' })),
    };
  }

  /** Retention: removes the personal data of one closed case, whoever it is about, keeping its legal record. */
  async eraseCaseData(m: EntityManager, caseId: string, actor: string): Promise<{ values: number }> {
    let values = 0;
    const count = async (sql: string, params: unknown[] = [caseId]) =>
      (values += (await m.query<unknown[]>(`WITH x AS (${sql} RETURNING 1) SELECT 1 FROM x`, params)).length);
    await count(
      `UPDATE parties SET name = $2, company = NULL, email = CASE WHEN email IS NULL THEN NULL ELSE $2 END,
              phone = NULL, address = NULL, email_hash = NULL WHERE case_id = $1`,
      [caseId, ERASED],
    );
    await count(
      `UPDATE notices SET raw_text = CASE WHEN raw_text IS NULL THEN NULL ELSE $2 END, structured = NULL,
              sender_email = CASE WHEN sender_email IS NULL THEN NULL ELSE $2 END, sender_email_hash = NULL,
              auth = auth - 'clientIp' WHERE case_id = $1`,
      [caseId, ERASED],
    );
    await count(
      `UPDATE counter_notices SET notifier_name = $2, notifier_email = $2, notifier_phone = NULL,
              notifier_address = NULL, notifier_country = NULL, notifier_email_hash = NULL WHERE case_id = $1`,
      [caseId, ERASED],
    );
    await count(
      `UPDATE letters SET recipient = $2, subject = $2, text = $2, html = $2, recipient_key = NULL WHERE case_id = $1`,
      [caseId, ERASED],
    );
    await count(`UPDATE uploader_links SET email = $2, email_hash = NULL WHERE case_id = $1`, [caseId, ERASED]);
    await count(`UPDATE takedowns SET uploader = NULL WHERE case_id = $1 AND uploader IS NOT NULL`);
    await count(`DELETE FROM evidence_files WHERE case_id = $1`);
    await count(`UPDATE inbound_messages SET raw = ''::bytea, envelope_from = NULL WHERE case_id = $1`);
    await count(`UPDATE idempotency_keys SET response_body = NULL WHERE case_id = $1 AND response_body IS NOT NULL`);
    await this.clearEvidence(m, [caseId], null);
    values += await eraseCaseTexts(m, [caseId]);
    values += await this.scrubReasons(m, caseId, () => ERASED);
    await audit(m, caseId, actor, 'privacy.erased', { request: null, values, messages: 0, retained: false });
    return { values };
  }

  private async find(m: EntityManager, email: string): Promise<Person> {
    const address = email.trim().toLowerCase();
    const hash = this.vault.hashEmail(address);
    const mailbox = this.vault.hashEmail(recipientKey(address));
    const subjectId = await this.vault.findSubject(m, address);
    const rows = await m.query<{ case_id: string }[]>(
      `SELECT case_id FROM parties WHERE email_hash = $1 OR subject_id = $2
       UNION SELECT case_id FROM notices WHERE sender_email_hash = $1 OR subject_id = $2
       UNION SELECT case_id FROM counter_notices WHERE notifier_email_hash = $1 OR subject_id = $2
       UNION SELECT case_id FROM uploader_links WHERE email_hash = $1 OR subject_id = $2
       UNION SELECT case_id FROM takedowns WHERE uploader->>'emailHash' = $1
       UNION SELECT case_id FROM letters WHERE subject_id = $2 OR recipient_key = $3
       UNION SELECT case_id FROM inbound_messages WHERE subject_id = $2 AND case_id IS NOT NULL`,
      [hash, subjectId, mailbox],
    );
    return { email: address, subjectId, hash, mailbox, caseIds: rows.map((r) => r.case_id) };
  }

  /** The person's address, phone numbers and names as we hold them: what others' records may quote. */
  private async identifiers(m: EntityManager, person: Person): Promise<string[]> {
    const rows = await m.query<{ v: string | null }[]>(
      `SELECT name AS v FROM parties WHERE email_hash = $1 OR subject_id = $2
       UNION ALL SELECT phone FROM parties WHERE email_hash = $1 OR subject_id = $2
       UNION ALL SELECT notifier_name FROM counter_notices WHERE notifier_email_hash = $1 OR subject_id = $2
       UNION ALL SELECT notifier_phone FROM counter_notices WHERE notifier_email_hash = $1 OR subject_id = $2`,
      [person.hash, person.subjectId],
    );
    const opened = await this.vault.open(
      m,
      rows.map((r) => r.v),
      { includeWithheld: true },
    );
    const values = new Set([person.email]);
    for (const v of opened) if (v && v !== ERASED && v !== WITHHELD && v.trim().length >= 3) values.add(v.trim());
    return [...values].sort((a, b) => b.length - a.length);
  }

  private async eraseInCase(
    m: EntityManager,
    p: Person,
    caseId: string,
    identifiers: string[],
  ): Promise<{ values: number; messages: number }> {
    let values = 0;
    const count = async (sql: string, params: unknown[]) =>
      (values += (await m.query<unknown[]>(`WITH x AS (${sql} RETURNING 1) SELECT 1 FROM x`, params)).length);
    const own = [caseId, p.hash, p.subjectId, ERASED];
    await count(
      `UPDATE parties SET name = CASE WHEN name IS NULL THEN NULL ELSE $4 END, company = NULL,
              email = CASE WHEN email IS NULL THEN NULL ELSE $4 END, phone = NULL, address = NULL, email_hash = NULL
       WHERE case_id = $1 AND (email_hash = $2 OR subject_id = $3)`,
      own,
    );
    await count(
      `UPDATE notices SET raw_text = CASE WHEN raw_text IS NULL THEN NULL ELSE $4 END, structured = NULL,
              sender_email = CASE WHEN sender_email IS NULL THEN NULL ELSE $4 END, sender_email_hash = NULL,
              auth = auth - 'clientIp'
       WHERE case_id = $1 AND (sender_email_hash = $2 OR subject_id = $3)`,
      own,
    );
    await count(
      `UPDATE counter_notices SET notifier_name = $4, notifier_email = $4, notifier_phone = NULL,
              notifier_address = NULL, notifier_country = NULL, notifier_email_hash = NULL
       WHERE case_id = $1 AND (notifier_email_hash = $2 OR subject_id = $3)`,
      own,
    );
    await count(
      `UPDATE uploader_links SET email = $4, email_hash = NULL WHERE case_id = $1 AND (email_hash = $2 OR subject_id = $3)`,
      own,
    );
    await count(`UPDATE takedowns SET uploader = NULL WHERE case_id = $1 AND uploader->>'emailHash' = $2`, [
      caseId,
      p.hash,
    ]);
    await count(
      `UPDATE letters SET recipient = $4, subject = $4, text = $4, html = $4, recipient_key = NULL,
              status = CASE WHEN status = 'queued' THEN 'failed'::letter_status ELSE status END,
              last_error = CASE WHEN status = 'queued' THEN $5 ELSE last_error END
       WHERE case_id = $1 AND (subject_id = $3 OR recipient_key = $2)`,
      [caseId, p.mailbox, p.subjectId, ERASED, RECIPIENT_ERASED],
    );
    // Letter dedupe keys name an uploader by their address's keyed hash: the hash goes with the person.
    await m.query(
      `UPDATE letters SET dedupe_key = case_id || ':' || kind || ':erased:' || id
       WHERE case_id = $1 AND (strpos(dedupe_key, $2) > 0 OR strpos(dedupe_key, $3) > 0)`,
      [caseId, p.hash, p.mailbox],
    );
    const messages = await m.query<{ id: string }[]>(
      `SELECT id FROM inbound_messages WHERE case_id = $1 AND subject_id = $2`,
      [caseId, p.subjectId],
    );
    const ids = messages.map((r) => r.id);
    await count(`DELETE FROM evidence_files WHERE inbound_message_id = ANY($1::uuid[])`, [ids]);
    await count(`UPDATE inbound_messages SET raw = ''::bytea, envelope_from = NULL WHERE id = ANY($1::uuid[])`, [ids]);
    if (p.subjectId)
      await count(
        `UPDATE idempotency_keys SET response_body = NULL
         WHERE case_id = $1 AND response_body #>> '{}' LIKE 'pd1.' || $2 || '.%'`,
        [caseId, p.subjectId],
      );
    if (p.subjectId) await this.clearEvidence(m, [caseId], p.subjectId);
    values += await this.scrubQuotes(m, caseId, identifiers);
    // Staff's notes and reasons, and the complainant's own words (case_texts), may name them too; so may the
    // reasons staff keep beside an override, a re-sorting and a legal hold.
    values += await scrubCaseTexts(m, [caseId], (text) => scrub(text, identifiers));
    values += await this.scrubReasons(m, caseId, (text) => scrub(text, identifiers));
    return { values, messages: ids.length };
  }

  /** The catalog's copy of their address, and the letter cap's rows for their mailbox. */
  private async eraseOutsideCases(m: EntityManager, p: Person, held: boolean, identifiers: string[]): Promise<void> {
    if (!held)
      await m.query(
        `UPDATE software_pages SET uploader_email = NULL, uploader_email_hash = NULL WHERE uploader_email_hash = $1`,
        [p.hash],
      );
    // The strike ledger keeps the account id (512(i) needs the count) and forgets the address.
    // The reasons staff gave for their decisions about the person as an uploader or as a notifier (the events keep
    // the decision itself: the ledger and DSA Art. 23 need it) lose the person's identifiers.
    if (!held) {
      await this.scrubEventReasons(
        m,
        'uploader_events',
        `standing_id IN (SELECT id FROM uploader_standings WHERE email_hash = $1)`,
        p.hash,
        identifiers,
      );
      await this.scrubEventReasons(
        m,
        'notifier_events',
        `standing_id IN (SELECT id FROM notifier_standings WHERE notifier_key = 'email:' || $1)`,
        p.hash,
        identifiers,
      );
    }
    if (!held)
      await m.query(`UPDATE uploader_standings SET email = NULL, email_hash = NULL WHERE email_hash = $1`, [p.hash]);
    const capHash = recipientHash(this.app.secret, p.email);
    await m.query(`DELETE FROM confirmed_recipients WHERE recipient_hash = $1`, [capHash]);
    await m.query(`DELETE FROM letter_recipient_windows WHERE recipient_hash = $1`, [capHash]);
    await m.query(
      `UPDATE inbound_messages SET raw = ''::bytea, envelope_from = NULL WHERE case_id IS NULL AND subject_id = $1`,
      [p.subjectId],
    );
  }

  /**
   * Checklists whose evidence is sealed under `subjectId` (every one of the cases when null) keep their verdicts and
   * lose their quotes: the notices', counter-notices' and the cases' own copies.
   */
  private async clearEvidence(m: EntityManager, caseIds: string[], subjectId: string | null): Promise<void> {
    for (const table of ['cases', 'notices', 'counter_notices']) {
      const idColumn = table === 'cases' ? 'id' : 'case_id';
      const rows = await m.query<{ id: string; checklist: { elements: Record<string, { evidence: string[] }> } }[]>(
        `SELECT id, checklist FROM ${table} WHERE ${idColumn} = ANY($1::uuid[])`,
        [caseIds],
      );
      for (const row of rows) {
        let changed = false;
        for (const element of Object.values(row.checklist.elements ?? {})) {
          const owner = this.vault.subjectOf(element.evidence[0]);
          if (subjectId === null ? element.evidence.length > 0 : owner === subjectId) {
            element.evidence = [];
            changed = true;
          }
        }
        if (changed)
          await m.query(`UPDATE ${table} SET checklist = $2 WHERE id = $1`, [row.id, JSON.stringify(row.checklist)]);
      }
    }
  }

  /**
   * Rewrites the reasons staff keep beside a decision outside case_texts: an element override
   * (cases.element_overrides), a link's re-sorting (reported_links.sorting_override), a complaint's answer, a legal
   * hold's reasons.
   * Returns how many rows changed.
   */
  private async scrubReasons(m: EntityManager, caseId: string, rewrite: (text: string) => string): Promise<number> {
    let changed = 0;
    const [kase] = await m.query<{ element_overrides: Record<string, { reason?: string }> }[]>(
      `SELECT element_overrides FROM cases WHERE id = $1`,
      [caseId],
    );
    const overrides = kase?.element_overrides ?? {};
    let touched = false;
    for (const o of Object.values(overrides))
      if (typeof o.reason === 'string' && rewrite(o.reason) !== o.reason) {
        o.reason = rewrite(o.reason);
        touched = true;
      }
    if (touched) {
      await m.query(`UPDATE cases SET element_overrides = $2 WHERE id = $1`, [caseId, JSON.stringify(overrides)]);
      changed++;
    }
    const links = await m.query<{ id: string; sorting_override: { reason: string } }[]>(
      `SELECT id, sorting_override FROM reported_links WHERE case_id = $1 AND sorting_override IS NOT NULL`,
      [caseId],
    );
    for (const l of links) {
      const reason = rewrite(l.sorting_override.reason ?? '');
      if (reason === (l.sorting_override.reason ?? '')) continue;
      await m.query(`UPDATE reported_links SET sorting_override = $2 WHERE id = $1`, [
        l.id,
        JSON.stringify({ ...l.sorting_override, reason }),
      ]);
      changed++;
    }
    // A complaint's reasoned answer is staff's words (the complaint's own text is sealed under its filer).
    const answers = await m.query<{ id: string; answer: string }[]>(
      `SELECT id, answer FROM complaints WHERE case_id = $1 AND answer IS NOT NULL`,
      [caseId],
    );
    for (const a of answers) {
      const answer = rewrite(a.answer);
      if (answer === a.answer) continue;
      await m.query(`UPDATE complaints SET answer = $2 WHERE id = $1`, [a.id, answer]);
      changed++;
    }
    const holds = await m.query<{ id: string; reason: string; release_reason: string | null }[]>(
      `SELECT id, reason, release_reason FROM legal_holds WHERE case_id = $1`,
      [caseId],
    );
    for (const h of holds) {
      const reason = rewrite(h.reason);
      const release = h.release_reason === null ? null : rewrite(h.release_reason);
      if (reason === h.reason && release === h.release_reason) continue;
      await m.query(`UPDATE legal_holds SET reason = $2, release_reason = $3 WHERE id = $1`, [h.id, reason, release]);
      changed++;
    }
    return changed;
  }

  /** Rewrites `reason_text` in an append-only events table, for the rows `where` picks with `$1`. */
  private async scrubEventReasons(
    m: EntityManager,
    table: 'uploader_events' | 'notifier_events',
    where: string,
    param: string,
    identifiers: string[],
  ): Promise<void> {
    const rows = await m.query<{ id: string; reason_text: string }[]>(
      `SELECT id, reason_text FROM ${table} WHERE reason_text IS NOT NULL AND ${where}`,
      [param],
    );
    for (const row of rows) {
      const scrubbed = scrub(row.reason_text, identifiers);
      if (scrubbed !== row.reason_text)
        await m.query(`UPDATE ${table} SET reason_text = $2 WHERE id = $1`, [row.id, scrubbed]);
    }
  }

  /** Others' sealed words in the case that quote the person: the quote becomes "[erased]", resealed as it was. */
  private async scrubQuotes(m: EntityManager, caseId: string, identifiers: string[]): Promise<number> {
    let changed = 0;
    for (const { table, columns } of QUOTING_COLUMNS) {
      const rows = await m.query<Record<string, string | null>[]>(
        `SELECT id, ${columns.join(', ')} FROM ${table} WHERE case_id = $1`,
        [caseId],
      );
      for (const row of rows) {
        const sets: string[] = [];
        const params: unknown[] = [row.id];
        for (const column of columns) {
          const value = row[column];
          const subjectId = this.vault.subjectOf(value);
          const text = await this.vault.openOne(m, value, { includeWithheld: true });
          if (!text || text === ERASED) continue;
          const scrubbed = scrub(text, identifiers);
          if (scrubbed === text) continue;
          params.push(subjectId ? await this.vault.seal(m, subjectId, scrubbed) : scrubbed);
          sets.push(`${column} = $${params.length}`);
        }
        if (sets.length === 0) continue;
        await m.query(`UPDATE ${table} SET ${sets.join(', ')} WHERE id = $1`, params);
        changed++;
      }
    }
    return changed;
  }
}

/**
 * The text with each of the person's identifiers (longest first) replaced by ERASED, case-insensitively, where it
 * stands as a whole word: "Lee" goes, "sleep" stays.
 */
export function scrub(text: string, identifiers: string[]): string {
  return identifiers.reduce(
    (t, v) =>
      t.replace(
        new RegExp(`(?<![\\p{L}\\p{N}])${v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'giu'),
        ERASED,
      ),
    text,
  );
}
