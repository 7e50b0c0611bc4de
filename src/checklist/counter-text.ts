import { contactSpans } from './contact';
import { facts, statements } from './spans';
import { NoticeText, Span } from './text';

const MISTAKE_HEAD = /\b(?:good[\s-]{1,3}faith\s+(?:belie\w{0,4}|bel\w{0,6})|penalt(?:y|ies)\s+of\s+perjury)\b/gi;
const MISTAKE =
  /mistake|misidentif|in\s+error|erroneous|wrongful|wrongly|(?:not|none\b[^.\n]{0,120})\s*infring|does\s+not\s+infringe/i;
const CONSENT = [
  /\bconsent\w{0,3}\s+(?:to|for)\s+(?:the\s+)?(?:jurisdiction|any\s+judicial\s+district)\b/gi,
  /\b(?:accept|agree\s+to\s+accept)\s+service\s+of\s+process\b/gi,
];
const URL = /\bhttps?:\/\/[^\s<>"'\])]{3,2000}/gi;
const REMOVED_PHRASES = [
  /\b(?:created|own|my|our)\s+(?:[\w-]{1,30}\s+){0,2}?(?:repository|repo)\b/gi,
  /\b[\w.-]{1,60}\s+(?:was|were|has\s+been|have\s+been)\s+(?:take[\s-]?down(?:ed)?|taken\s+down)\b/gi,
  /\b(?:material|repository|repo|content|files?|code)\s+(?:that\s+(?:was|has\s+been)\s+(?:disabled|removed)\s+)?is\s+(?:located|found)\s+at\b/gi,
  /\blocation\s+of\s+(?:the\s+)?material\b/gi,
];
const LIVE_IN = /\bI\s+live\s+(?:in|at)\b/gi;

export function mistakeSpans(doc: NoticeText): Span[] {
  return statements(doc, MISTAKE_HEAD, (s) =>
    MISTAKE.test(doc.text.slice(s.end, s.end + 600).split(/\n\s*\n\s*\n|\n\s*\d{1,2}[.)]\s/)[0] ?? ''),
  );
}

export function consentSpans(doc: NoticeText): Span[] {
  return CONSENT.flatMap((re) => statements(doc, re));
}

export function removedMaterialSpans(doc: NoticeText): Span[] {
  return [...facts(doc, URL), ...REMOVED_PHRASES.flatMap((re) => facts(doc, re))];
}

export function counterContactSpans(doc: NoticeText): Span[] {
  return [...contactSpans(doc), ...facts(doc, LIVE_IN)];
}
