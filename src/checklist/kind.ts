import { consentSpans, mistakeSpans } from './counter-text';
import { goodFaithSpans, infringingSpans, perjurySpans } from './takedown-text';
import { NoticeText } from './text';
import { detectZhKind } from './zh-kind';
import { readsChinese } from './zh-text';

export type NoticeKind = 'takedown' | 'counter_notice' | 'retraction' | 'other';

const RETRACTION = [
  /\b(?:hereby\s+)?(?:retract|withdraw|rescind|revoke|cancel)(?:s|ing|ed)?\b[^.\n]{0,80}\b(?:notice|notices|request|requests|claim|claims|takedowns?|dmca|complaint)\b/i,
  /\b(?:notice|request|claim|takedown|complaint)s?\b[^.\n]{0,40}\b(?:is|are)\s+(?:hereby\s+)?(?:retracted|withdrawn|rescinded|revoked)\b/i,
  /\bno\s+longer\s+(?:request|wish|want|seek|ask)\b/i,
];
const COUNTER_MENTION =
  /counter[\s-]?(?:notice|notification)|\b512\s*\(g\)|\brestor(?:e|ation|ing)\b[^.\n]{0,60}\b(?:access|repository|repo|material|content)/i;
const GITHUB_BOILERPLATE = /provided\s+information\s+on\s+how\s+to|guide-to-submitting-a-dmca-counter-notice/i;
const TAKEDOWN_WORDS = /infring|take\s*down|copyright|dmca|pirat|unauthori[sz]ed/i;

export function detectKind(doc: NoticeText): NoticeKind {
  const zh = readsChinese(doc) ? detectZhKind(doc) : 'other';
  if (zh !== 'other') return zh;
  const counterMention = doc.lines.some((l) => COUNTER_MENTION.test(l.text) && !GITHUB_BOILERPLATE.test(l.text));
  if (mistakeSpans(doc).length > 0 || consentSpans(doc).length > 0) return 'counter_notice';
  const takedownStatements = goodFaithSpans(doc).length > 0 || perjurySpans(doc).length > 0;
  if (RETRACTION.some((re) => re.test(doc.text)) && perjurySpans(doc).length === 0) return 'retraction';
  if (counterMention && !takedownStatements) return 'counter_notice';
  if (takedownStatements) return 'takedown';
  if (infringingSpans(doc).length > 0 && TAKEDOWN_WORDS.test(doc.text)) return 'takedown';
  return 'other';
}
