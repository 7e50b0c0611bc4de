import { consentSpans, mistakeSpans } from './counter-text';
import { authoritySpans, goodFaithSpans, infringingSpans, perjurySpans } from './takedown-text';
import { perText } from './spans';
import { NoticeText } from './text';
import { detectZhKind } from './zh-kind';
import { readsChinese } from './zh-text';

export type NoticeKind = 'takedown' | 'counter_notice' | 'retraction' | 'other';

const RETRACTION = [
  /\b(?:hereby\s+)?(?:retract|withdraw|rescind|revoke|cancel)(?:s|ing|ed)?\b[^.\n]{0,80}\b(?:notice|notices|request|requests|claim|claims|takedowns?|dmca|complaint)\b/i,
  /\b(?:notice|request|claim|takedown|complaint)s?\b[^.\n]{0,40}\b(?:is|are)\s+(?:hereby\s+)?(?:retracted|withdrawn|rescinded|revoked)\b/i,
  /\bno\s+longer\s+(?:request|wish|want|seek|ask)\b/i,
  /\b(?:null(?:ify)?|invalidate|void|redact|undo|reverse|drop|call\s+off|lift)\b[^.\n]{0,40}\b(?:my|our|the|this|that)\s+(?:(?:previous|earlier|original|prior)\s+)?(?:dmca|dcma|takedown|take\s+down|notice|claim|complaint|request|strike)/i,
];
/** The sender names the notice a retraction: it is one even when it repeats a form's perjury statement. */
const SAYS_RETRACTION =
  /\bthis\s+(?:notice\s+|letter\s+|e-?mail\s+|message\s+)?is\s+(?:an?\s+)?(?:official\s+)?(?:retraction|withdrawal)\b/i;
/**
 * A request to put material back counts as a retraction only when the sender speaks of their own earlier notice,
 * a settlement or their own mistake: a counter-notice asks for restoration too, but about someone else's notice.
 */
const REINSTATE =
  /\b(?:reinstate|restore|re-?enable|unblock|revive|bring\s+back|brought\s+back|put\s+back|re-?open|lift\s+the\s+block)\b/i;
const OWN_EARLIER_NOTICE =
  /\b(?:my|our)\s+(?:(?:previous|earlier|original|prior|recent)\s+)?(?:dmca\s+|dcma\s+|copyright\s+)?(?:notice|takedown|take[\s-]down|claim|complaint|request|report)|\b(?:resolved|settled|amicabl|reached\s+an?\s+(?:agreement|understanding|settlement)|come\s+to\s+an?\s+(?:agreement|understanding)|agreed\s+(?:to|with|that)|(?:was|were|is)\s+(?:a\s+)?mistake\s+(?:on\s+)?(?:my|our)|mistake\s+in\s+our|(?:I|we)\s+made\s+a\s+mistake)\b/i;
const COUNTER_MENTION =
  /counter[\s-]?(?:notice|notification)|\b512\s*\(g\)|\brestor(?:e|ation|ing)\b[^.\n]{0,60}\b(?:access|repository|repo|material|content)/i;
const GITHUB_BOILERPLATE = /provided\s+information\s+on\s+how\s+to|guide-to-submitting-a-dmca-counter-notice/i;
const TAKEDOWN_WORDS = /infring|take\s*down|copyright|dmca|pirat|unauthori[sz]ed/i;
/** "please take it down", "remove it from your site", "get rid of the copy": a request to remove, in any wording. */
const REMOVAL_REQUEST =
  /\b(?:take|took|taking|pull|pulled|bring)\s+(?:it|this|that|them|these|those|the\s+\w+|\w+)?\s*(?:down|offline)\b|\btake\s*down\b|\b(?:come|comes)\s+down\b|\bbe\s+taken\s+(?:down|offline)\b|\b(?:remove|removal|delete|deletion|disable|disabling|block|unpublish|get\s+rid\s+of)\b/i;
/** Ownership or a right to act, in looser words than the authority element needs: "the authorised reseller of". */
const CLAIMS_RIGHTS =
  /\bauthori[sz]ed\s+(?:reseller|distributor|licensee|partner|dealer|publisher)|\bexclusive\s+(?:licen[cs]ee|distributor|publisher|rights)|\ball\s+rights\s+reserved/i;
const ANY_URL = /\bhttps?:\/\/\S|\bwww\.\S|\b[\w-]+(?:\.[\w-]+)+\/\S/i;

export function detectKind(doc: NoticeText): NoticeKind {
  const zh = readsChinese(doc) ? detectZhKind(doc) : 'other';
  if (zh !== 'other') return zh;
  const counterMention = someLine(doc, (text) => COUNTER_MENTION.test(text) && !GITHUB_BOILERPLATE.test(text));
  if (perText(doc, mistakeSpans).length > 0 || perText(doc, consentSpans).length > 0) return 'counter_notice';
  const takedownStatements = perText(doc, goodFaithSpans).length > 0 || perText(doc, perjurySpans).length > 0;
  if (SAYS_RETRACTION.test(doc.text)) return 'retraction';
  if (
    perText(doc, perjurySpans).length === 0 &&
    (RETRACTION.some((re) => re.test(doc.text)) || asksToReinstateOwn(doc))
  )
    return 'retraction';
  if (counterMention && !takedownStatements) return 'counter_notice';
  if (takedownStatements) return 'takedown';
  if (perText(doc, infringingSpans).length > 0 && TAKEDOWN_WORDS.test(doc.text)) return 'takedown';
  if (
    REMOVAL_REQUEST.test(doc.text) &&
    ANY_URL.test(doc.text) &&
    (perText(doc, authoritySpans).length > 0 || CLAIMS_RIGHTS.test(doc.text))
  )
    return 'takedown';
  return 'other';
}

function asksToReinstateOwn(doc: NoticeText): boolean {
  return (
    perText(doc, mistakeSpans).length === 0 &&
    perText(doc, consentSpans).length === 0 &&
    someLine(doc, (text) => REINSTATE.test(text)) &&
    OWN_EARLIER_NOTICE.test(doc.text)
  );
}

function someLine(doc: NoticeText, test: (text: string) => boolean): boolean {
  for (let i = 0; i < doc.lines.length; i++) if (test(doc.lines.text(i))) return true;
  return false;
}
