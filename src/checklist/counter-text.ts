import { contactSpans } from './contact';
import { facts, statements } from './spans';
import { answerSpan, answeredPrompts, isPromptLine } from './form';
import { NoticeText, Span, lineIndexAt } from './text';

const MISTAKE_HEAD = /\b(?:good[\s-]{1,3}faith\s+(?:belie\w{0,4}|bel\w{0,6})|penalt(?:y|ies)\s+of\s+perjury)\b/gi;
const MISTAKE =
  /mistake|misidentif|in\s+error|erroneous|wrongful|wrongly|(?:not|none\b[^.\n]{0,120})\s*infring|does\s+not\s+infringe/i;
const CONSENT = [
  /\b(?:consent\w{0,3}|submit\w{0,3})\s+(?:to|for)\s+(?:the\s+)?(?:jurisdiction|any\s+judicial\s+district)\b/gi,
  /\b(?:accept\w{0,3}|agree\s+to\s+accept)\s+(?:the\s+)?service\s+of\s+(?:legal\s+)?process\b|\b(?:consent\w{0,3}|agree\w{0,3})\s+to\s+(?:the\s+)?service(?:\s+of\s+(?:legal\s+)?process)?\s+(?:by|from)\b/gi,
];
// A sentence's full stop or comma after a URL is not part of it.
const URL = /\bhttps?:\/\/[^\s<>"'\])]{2,1999}[^\s<>"'\]).,;:!?]/gi;
const REMOVED_PHRASES = [
  /\b[\w.-]{1,60}\s+(?:was|were|has\s+been|have\s+been)\s+(?:take[\s-]?down(?:ed)?|taken\s+down)\b/gi,
  /\b(?:material|repository|repo|content|files?|code)\s+(?:that\s+(?:was|has\s+been)\s+(?:disabled|removed)\s+)?is\s+(?:located|found)\s+at\b/gi,
  /\blocation\s+of\s+(?:the\s+)?material\b/gi,
  // The removed repository named without a label: a bare "github.com/owner/repo", or "the repository "SickGear"".
  /(?<![\w/.-])(?:www\.)?(?:github\.com|gist\.github\.com|npmjs\.com\/package)\/[\w.-]+(?:\/[\w.-]+)*/gi,
  /\b(?:my|our|the)\s+(?:[\w-]{1,30}\s+){0,2}?(?:repository|repo|fork|project|gist|package)\s+(?:named\s+|called\s+)?(?:"[^"\n]{1,60}"|'[^'\n]{1,60}'|`[^`\n]{1,60}`|[\w.-]+\/[\w.-]+)/gi,
  /\b(?:list\s+of\s+)?(?:the\s+)?(?:material|materials|repositor(?:y|ies)|files?|content)\s+(?:that\s+(?:was|were|has\s+been|have\s+been)\s+)?(?:removed|disabled|taken\s+down)\s*(?:by\s+you\s*)?(?:pursuant\s+to[^\n:]{0,60})?(?::|\.)?\s*\n\s*\S+/gi,
  /\baccess\s+to\s+the\s+following\s+(?:repositor(?:y|ies)|files?|gists?|material)\b/gi,
];
const LIVE_IN = /\bI\s+live\s+(?:in|at)\b/gi;

export function mistakeSpans(doc: NoticeText): Span[] {
  return statements(doc, MISTAKE_HEAD, (s) =>
    MISTAKE.test(doc.text.slice(s.end, s.end + 600).split(/\n\s*\n\s*\n|\n\s*\d{1,2}[.)]\s/)[0] ?? ''),
  );
}

/**
 * 512(g)(3)(D) asks for both: consent to the court's jurisdiction, and that the subscriber will accept service of
 * process. Either alone does not satisfy the element.
 */
export function consentSpans(doc: NoticeText): Span[] {
  const [jurisdiction, service] = CONSENT.map((re) => statements(doc, re));
  return jurisdiction.length > 0 && service.length > 0 ? [...jurisdiction, ...service] : [];
}

// GitHub's guides and its published notices are cited, not the removed material.
const CITED =
  /^https?:\/\/(?:(?:docs|help|support|guides)\.github\.com|github\.com\/(?:github\/(?:dmca|site-policy)|site\/|contact|articles))/i;

const REMOVED_PROMPT =
  /what\s+files\s+were\s+(?:taken\s+down|removed|disabled)|(?:identify|identification\s+of)\s+the\s+material\s+(?:that\s+has\s+been\s+)?(?:removed|disabled)/i;
/** An answer that names material: a URL, an "owner/repo" slug, a path or a file name. */
const NAMES_MATERIAL = /https?:\/\/|(?<![\w-])[\w-]+\/[\w.-]+|(?<![\w-])[\w-]+\.[a-z]{1,5}\b/i;

// The licence, or the page where the code was released under it, cited as the reason: "under a GPL 3 license as per
// this web page: http://...". It is not what was removed.
const LICENCE_URL = /licen[cs]e|\/terms\b|copying\b/i;
const LICENCE_LEAD_IN = /\blicen[cs]e[ds]?\b[^\n]{0,40}$/i;

function citesLicence(doc: NoticeText, span: Span): boolean {
  if (LICENCE_URL.test(doc.text.slice(span.start, span.end))) return true;
  const index = lineIndexAt(doc, span.start);
  let before = doc.text.slice(doc.lines.start(index), span.start);
  if (before.trim() === '')
    before =
      doc.lines
        .slice(Math.max(0, index - 3), index)
        .filter((l) => !l.blank)
        .pop()?.text ?? '';
  return LICENCE_LEAD_IN.test(before.slice(-80));
}

export function removedMaterialSpans(doc: NoticeText): Span[] {
  const answered = answeredPrompts(doc, REMOVED_PROMPT)
    .filter(({ answer }) => answer.some((l) => NAMES_MATERIAL.test(l.text)))
    .map(({ prompt, answer }) => ({ start: prompt.start, end: answerSpan(answer)?.end ?? prompt.end }));
  const urls = facts(doc, URL).filter((s) => !CITED.test(doc.text.slice(s.start, s.end)) && !citesLicence(doc, s));
  // A form's question ("What files were taken down?") names no material.
  const phrases = REMOVED_PHRASES.flatMap((re) => facts(doc, re)).filter(
    (s) => !isPromptLine(doc, lineIndexAt(doc, s.start)),
  );
  return [...answered, ...urls, ...phrases];
}

export function counterContactSpans(doc: NoticeText): Span[] {
  return [...contactSpans(doc), ...facts(doc, LIVE_IN)];
}
