import { answerLines, answerSpan, answeredPrompts, isPromptLine } from './form';
import { facts } from './spans';
import { Line, NoticeText, Span, isRedactedLine, lineIndexAt } from './text';

const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,6}\.[A-Za-z]{2,24}\b/g;
const EMAIL_AT = new RegExp(EMAIL.source, 'y');
const LOCAL_MAX = 64;

/**
 * The matches of EMAIL, found from each "@": a match starts at most LOCAL_MAX characters before its "@", so EMAIL
 * is tried only at those starts, in order, and not at every letter of the text (where it reads up to 64 letters
 * each time before failing). The first start that matches is the one a scan from the left would have found.
 */
function emailSpans(text: string): Span[] {
  const spans: Span[] = [];
  let from = 0; // no match starts before this: the end of the last match, or past the starts already tried
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', Math.max(at + 1, from))) {
    for (let start = Math.max(from, at - LOCAL_MAX); start < at; start++) {
      EMAIL_AT.lastIndex = start;
      const m = EMAIL_AT.exec(text);
      if (m) {
        spans.push({ start, end: start + m[0].length });
        from = start + m[0].length;
        break;
      }
      from = start + 1;
    }
  }
  return spans;
}
// The spaces around an optional word are bounded and never adjacent: "\s*(?:x)?\s*" is quadratic in a run of spaces.
const LABELLED =
  /\b(?:e-?mail(?:\s+address)?|tel(?:ephone)?|phone(?:\s+number)?|ph|mob(?:ile)?|cell(?:phone)?|fax|(?:postal|mailing|physical|business|company|office|street|home)\s+address|address|add|direct(?:\s+line)?|contact(?:\s+(?:info(?:rmation)?|details))?)\.?\s{0,8}(?:(?:number|no\.?)\s{0,8})?(?::|--|–)[ \t]*(?:\n[ \t]*){0,2}[^\s:][^\n]{0,80}/gi;
const PHRASES = [
  /\b(?:reach|contact(?:ed)?|call|e-?mail|write\s+to)\s+(?:me|us)\s+(?:directly\s+)?(?:at|via|by|on|through|using)\b/gi,
  /\b(?:my|our)\s+(?:(?:full|legal|physical)\s+)?name,?\s+(?:(?:and\s+)?(?:physical\s+|postal\s+|mailing\s+)?address|(?:and\s+)?telephone(?:\s+number)?|(?:and\s+)?phone(?:\s+number)?|(?:and\s+)?e-?mail)\b[^.\n]{0,60}(?:\n[ \t]*)+(?:\[\s*(?:private|redacted)\s*\]|[^\n]*(?:@|\d{3}))/gi,
  /\bmay\s+be\s+(?:contacted|reached)\b/gi,
  /\bcontact\s+(?:our|my)\s+[^.\n]{0,40}\bat\b/gi,
  /\b(?:my|our)\s+(?:mobile\s+|cell\s+|office\s+)?(?:phone|telephone)\s+(?:number\s+)?is\b/gi,
  /\b(?:my|our)\s+(?:e-?mail|mailing|postal|physical|business)\s+address\s+is\b/gi,
  /\b(?:my|our)\s+contact\s+(?:information|info|details)\b/gi,
  /\bway\s+to\s+(?:contact|reach)\s+me\b/gi,
  /\bdirect\s+(?:any\s+)?(?:inquiries|questions|correspondence)\b[^.\n]{0,60}\bto\s*:/gi,
  /\bcontact\s+information\s+(?:listed\s+)?below\b/gi,
  /\bI\s+live\s+(?:in|at)\b/gi,
  // "please send an email back to\n[private]."
  /\b(?:send|drop)\s+(?:me\s+|us\s+)?an?\s+e-?mail\s+(?:back\s+)?to\b/gi,
  // "Contact [private] at [private]", "contact Jane Roe at jane@…": a named person and where to reach them.
  /\b[Cc]ontact\s+(?:\[\s*(?:private|redacted)\s*\]|[A-Z][\w'-]{1,30}(?:\s+[A-Z][\w'-]{1,30}){0,2})\s+(?:at|via|on|by)\s+(?:\[\s*(?:private|redacted)\s*\]|[^\s@]{1,64}@|\+?\d)/g,
  // "my details\n[private]": the details themselves on the next line.
  /\b(?:my|our)\s+(?:contact\s+)?details\b[^\n]{0,40}\n[ \t]*(?:\[\s*(?:private|redacted)\s*\]|[^\s@]{1,64}@|\+?\d)/gi,
  /^[ \t]*attn\.?\s+\S/gim,
];
const STREET =
  /\b\d{1,6}[A-Za-z]?(?:-\d{1,5})?\s+(?:[A-Z][\w.'-]{0,30}\s+){0,4}(?:Street|St|Avenue|Ave|Road|Rd|Drive|Dr|Boulevard|Blvd|Lane|Ln|Parkway|Pkwy|Pde|Parade|Way|Place|Pl|Court|Ct|Highway|Hwy|Square|Sq|Terrace)\b\.?/g;
const SUITE = /\b(?:Suite|Ste\.|P\.?\s?O\.?\s+Box)\s+#?\d/g;
const EUROPEAN_STREET =
  /\b[A-Z][a-zäöüß]{2,30}(?:strasse|straße|straat|str\.|weg|gasse|platz|laan|vej|gade)\s+\d{1,4}\b/g;
const CITY_ZIP =
  /\b[A-Z][A-Za-z.]{1,30}(?:\s+[A-Z][A-Za-z.]{1,30}){0,2},?\s+(?:[A-Z]{2}\s+\d{5}(?:-\d{4})?|\d{5}\s+[A-Z]{2})\b/g;
// "Boston, Massachusetts 02110": a US city, the state spelled out, a ZIP code.
const CITY_STATE_ZIP =
  /\b[A-Z][A-Za-z.]{1,30}(?:\s+[A-Z][A-Za-z.]{1,30}){0,2},\s+[A-Z][a-z]{3,15}(?:\s+[A-Z][a-z]{3,15})?\s+\d{5}(?:-\d{4})?\b/g;
const POSTCODE = /\b(?:[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}|[A-Z]{1,2}-\d{4,5}\s+[A-Z][a-zäöü]+)\b/g;
const PHONE =
  /(?:\+\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]\d{2,4}){2,4}|\(\d{3}\)\s?\d{3}[\s.-]\d{4}|\b\d{3}[.-]\d{3}[.-]\d{4})\b/g;
const COUNTRY =
  /\b(?:USA|U\.S\.A\.|United\s+States|Canada|United\s+Kingdom|UK|England|Germany|France|Netherlands|Belgium|Denmark|Sweden|Norway|Finland|Switzerland|Austria|Italy|Spain|Portugal|Ireland|Poland|Russia|Ukraine|India|China|Japan|Korea|Taiwan|Singapore|Australia|New\s+Zealand|Brazil|Mexico|Israel|Turkey|Cyprus|Slovenia|Czech\s+Republic|Hong\s+Kong)\b/;
const CONTACT_PROMPT =
  /telephone\s+number|physical\s+address|contact\s+(?:information|info|details)|e-?mail\s+address|may\s+contact\s+you/i;
const INFRINGER = /infring(?:er|ing\s+(?:content|party|user))|alleged|offending|administrator\s+of/i;
const ABOUT_GITHUB = /github\.com\b|noreply/i;

/** Answers to "the alleged infringer's contact information": contact details there are not the sender's. */
function infringerZones(doc: NoticeText): Span[] {
  const zones: Span[] = [];
  for (let index = 0; index < doc.lines.length; index++) {
    const text = doc.lines.text(index);
    if (!INFRINGER.test(text) || !/contact|address|information|administrator/i.test(text)) continue;
    if (!isPromptLine(doc, index) && !/:\s*$/.test(text)) continue;
    const span = answerSpan(answerLines(doc, index));
    if (span) zones.push({ start: doc.lines.start(index), end: span.end });
  }
  return zones;
}

function redactedBlocks(doc: NoticeText): Span[] {
  const spans: Span[] = [];
  let run: number[] = [];
  const flush = (): void => {
    if (run.length >= 3) spans.push({ start: doc.lines.start(run[0]), end: doc.lines.end(run[run.length - 1]) });
    run = [];
  };
  for (let index = 0; index < doc.lines.length; index++) {
    if (doc.lines.blank(index)) continue;
    if (isRedactedLine(doc.lines.text(index))) run.push(index);
    else flush();
  }
  flush();
  return spans;
}

const COMPANY_LINE =
  /^[^\n:@]{2,60}\b(?:Inc|Ltd|LLC|LLP|GmbH|S\.?A|AG|B\.?V|Co|Corp|Corporation|Limited|S\.?r\.?l|s\.?r\.?o|Pty|PLC|Oy|AB|KK)\.?,?\s*$/;

/**
 * A letterhead or signature block whose company line has a redaction under it: the company's address or number,
 * redacted ("AJ Tek Corporation\n\n[private]"). A redaction under a name or a title alone is not clearly contact.
 */
function redactedUnderCompany(doc: NoticeText): Span[] {
  const spans: Span[] = [];
  for (let index = 0; index < doc.lines.length; index++) {
    if (doc.lines.blank(index) || !COMPANY_LINE.test(doc.lines.text(index).trim())) continue;
    const next = nextNonBlank(doc, index, 3);
    if (next && isRedactedLine(next.text)) spans.push({ start: doc.lines.start(index), end: next.end });
  }
  return spans;
}

/** "3." or "4." alone on a line with only redactions under it: the contact item of the statutory list. */
function redactedListItems(doc: NoticeText): Span[] {
  const spans: Span[] = [];
  for (let index = 0; index < doc.lines.length; index++) {
    if (!/^\s*[3-5][.)]\s*$/.test(doc.lines.text(index))) continue;
    const next = nextNonBlank(doc, index, 3);
    if (next && isRedactedLine(next.text)) spans.push({ start: doc.lines.start(index), end: next.end });
  }
  return spans;
}

const INVITATION =
  /\b(?:contact|reach|e-?mail|call|write\s+to)\s+(?:me|us)\b|\bget\s+in\s+touch\b|\bdiscuss\s+this\s+with\s+(?:me|us)\b/i;

/**
 * An invitation to get in touch with redactions standing under it where the details were ("please contact me
 * directly.\n\nThank you.\n\n[private]\n\n[private]"): two or more redacted lines among the next few.
 */
function redactedAfterInvitation(doc: NoticeText): Span[] {
  const spans: Span[] = [];
  for (let index = 0; index < doc.lines.length; index++) {
    if (doc.lines.blank(index) || !INVITATION.test(doc.lines.text(index)) || isPromptLine(doc, index)) continue;
    const next = doc.lines
      .slice(index + 1, index + 10)
      .filter((l) => !l.blank)
      .slice(0, 4);
    const redacted = next.filter((l) => isRedactedLine(l.text));
    if (redacted.length >= 2) spans.push({ start: doc.lines.start(index), end: redacted[redacted.length - 1].end });
  }
  return spans;
}

function countryLines(doc: NoticeText): Span[] {
  const spans: Span[] = [];
  for (let i = 0; i < doc.lines.length; i++) {
    const text = doc.lines.text(i);
    if (text.trim().length <= 60 && COUNTRY.test(text) && /\d|,|\[private\]/i.test(text) && !/https?:/.test(text))
      spans.push({ start: doc.lines.start(i), end: doc.lines.end(i) });
  }
  return spans;
}

/** The first non-blank line of the `within` lines after line `index`. */
function nextNonBlank(doc: NoticeText, index: number, within: number): Line | undefined {
  for (let i = index + 1; i < doc.lines.length && i <= index + within; i++)
    if (!doc.lines.blank(i)) return doc.lines.at(i);
  return undefined;
}

export function contactSpans(doc: NoticeText): Span[] {
  const zones = infringerZones(doc);
  const outsideZones = (s: Span): boolean => !zones.some((z) => s.start >= z.start && s.start < z.end);
  const emails = emailSpans(doc.text).filter((s) => !ABOUT_GITHUB.test(doc.text.slice(s.start, s.end)));
  const phones = facts(doc, PHONE).filter(
    (s) => !/(?:isbn|reg(?:istration)?|no\.?|#)\s*[:.]?\s*$/i.test(doc.text.slice(Math.max(0, s.start - 20), s.start)),
  );
  const prompts = answeredPrompts(doc, CONTACT_PROMPT)
    .filter(({ prompt }) => !INFRINGER.test(prompt.text))
    .map(({ prompt, answer }) => ({ start: prompt.start, end: answerSpan(answer)?.end ?? prompt.end }));
  const spans = [
    ...emails,
    ...phones,
    ...facts(doc, LABELLED).filter(
      (s) => !doc.text.slice(s.start, s.end).includes('\n') || !isPromptLine(doc, lineIndexAt(doc, s.end - 1)),
    ),
    ...PHRASES.flatMap((re) => facts(doc, re)),
    ...facts(doc, STREET),
    ...facts(doc, SUITE),
    ...facts(doc, EUROPEAN_STREET),
    ...facts(doc, CITY_ZIP),
    ...facts(doc, CITY_STATE_ZIP),
    ...redactedUnderCompany(doc),
    ...facts(doc, POSTCODE),
    ...countryLines(doc),
    ...redactedBlocks(doc),
    ...redactedListItems(doc),
    ...redactedAfterInvitation(doc),
  ].filter(outsideZones);
  return [...spans, ...prompts];
}
