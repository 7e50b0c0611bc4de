import type { Locale } from '../core/i18n/locales';
import type { EntityManager } from 'typeorm';
import type { CounterNoticeProblem } from '../cases/counter-notice-problems';
import { normalizeUrl } from '../links';

/** The case a counter-notice belongs to, and what is wrong with the URLs it names. */
export interface CounterNoticeCase {
  id: string;
  reference: string;
  statusToken: string;
  language: Locale;
  /** The named URLs this case took down: what is to be restored. */
  matched: string[];
  /** Why parts of the counter-notice cannot be acted on. */
  problems: CounterNoticeProblem[];
}

interface CaseRow {
  id: string;
  reference: string;
  status_token: string;
  language: Locale;
}

/**
 * Finds the case: the one named by reference, or else the one that took down most of the named URLs. A named URL
 * this case did not take down (never reported, not taken down yet, or another case's) is a problem the sender is
 * told of, and is not restored. Undefined when no case can be found: the reference does not exist, and no case took
 * down any of the URLs.
 */
export async function findCounterNoticeCase(
  m: EntityManager,
  reference: string | undefined,
  urls: readonly string[],
): Promise<CounterNoticeCase | undefined> {
  const normalised = [
    ...new Set(
      urls.map((u) => {
        const n = normalizeUrl(u.trim());
        return n.ok ? n.url : u.trim();
      }),
    ),
  ];
  let kase: CaseRow | undefined;
  if (reference) {
    [kase] = await m.query<CaseRow[]>(`SELECT id, reference, status_token, language FROM cases WHERE reference = $1`, [
      reference,
    ]);
  }
  if (!kase && normalised.length > 0) {
    [kase] = await m.query<CaseRow[]>(
      `SELECT c.id, c.reference, c.status_token, c.language FROM cases c JOIN reported_links l ON l.case_id = c.id
       WHERE l.url = ANY($1::text[]) AND l.status = 'taken_down'
       GROUP BY c.id ORDER BY count(*) DESC, max(c.created_at) DESC LIMIT 1`,
      [normalised],
    );
  }
  if (!kase) return undefined;
  const taken = await m.query<{ url: string }[]>(
    `SELECT url FROM reported_links WHERE case_id = $1 AND url = ANY($2::text[]) AND status = 'taken_down'`,
    [kase.id, normalised],
  );
  const takenDown = new Set(taken.map((r) => r.url));
  const problems: CounterNoticeProblem[] = [];
  if (reference && reference !== kase.reference) {
    problems.push({ code: 'wrongReference', named: reference, reference: kase.reference });
  }
  for (const url of normalised) {
    if (!takenDown.has(url)) problems.push({ code: 'notTakenDown', url, reference: kase.reference });
  }
  return {
    id: kase.id,
    reference: kase.reference,
    statusToken: kase.status_token,
    language: kase.language,
    matched: normalised.filter((u) => takenDown.has(u)),
    problems,
  };
}
