import { matchSpans } from './anchors';
import { mayMatch } from './prefilter';

/** A span of the normalised text, [start, end). */
export interface Span {
  start: number;
  end: number;
}

export interface Line {
  text: string;
  start: number;
  end: number;
  /** The line was wrapped in Markdown emphasis: new-style forms print their prompts and affirmations bold. */
  bold: boolean;
  blank: boolean;
  /** Memos of what the checklist asks of a line more than once: whether it is a form's prompt, its quote count. */
  prompt?: boolean;
  quotes?: number;
}

/**
 * Notice text with Markdown, CRLF and odd spaces removed, so patterns can be simple. `map` keeps each
 * normalised character's offset in the raw input, so evidence is always quoted verbatim from the input.
 */
export interface NoticeText {
  raw: string;
  text: string;
  map: Int32Array;
  lines: Line[];
}

const LINE_PREFIX =
  /[ \t\u00a0\u3000]*(?:>[ \t\u00a0]*){0,4}(?:#{1,6}[ \t]+)?(?:(?:[-+•·§o]|=>)[ \t\u00a0]+|[\uf06c\uf0a7\uf0b7\uf0d8\uf0fc][ \t\u00a0]*)?/y;
const ENTITIES: ReadonlyArray<[string, string]> = [
  ['&amp;', '&'],
  ['&nbsp;', ' '],
  ['&lt;', '<'],
  ['&gt;', '>'],
  ['&quot;', '"'],
  ['&#39;', "'"],
];
const QUOTES: Record<string, string> = { '\u2018': "'", '\u2019': "'", '\u201c': '"', '\u201d': '"', '\uff1a': ':' };
const BREAK_TAG = /^<br\s*\/?>/i;
const ESCAPABLE = new Set([...'.-*_#()[]!']);

/** Tab, no-break and the Unicode spaces: read as a plain space. */
function spaceLike(c: number): boolean {
  return c === 0x09 || c === 0xa0 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** Printable ASCII that normalise keeps as it is: not "*", "_", "\\", "&" or "<", which it may drop or replace. */
function plain(c: number): boolean {
  return c >= 0x20 && c < 0x7f && c !== 0x2a && c !== 0x5f && c !== 0x5c && c !== 0x26 && c !== 0x3c;
}

/** Zero-width characters, the byte-order mark and the soft hyphen: dropped. */
function dropped(c: number): boolean {
  return (c >= 0x200b && c <= 0x200d) || c === 0xfeff || c === 0xad;
}

/**
 * One pass over the input, each character looked at a bounded number of times; the text is built from unchanged
 * runs sliced from the input and the offsets kept in a typed array, so a megabyte costs no more per KB than a page.
 */
export function normalise(raw: string): NoticeText {
  const parts: string[] = [];
  const map = new Int32Array(raw.length + 1);
  let length = 0;
  let run = -1; // start of the current run of characters copied unchanged
  const flush = (to: number): void => {
    if (run >= 0 && to > run) parts.push(raw.slice(run, to));
    run = -1;
  };
  const keep = (at: number): void => {
    if (run < 0) run = at;
    map[length++] = at;
  };
  const put = (ch: string, at: number): void => {
    flush(at);
    parts.push(ch);
    map[length++] = at;
  };
  const bolds: boolean[] = [];

  let lineStart = 0;
  while (lineStart <= raw.length) {
    let lineEnd = raw.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = raw.length;
    let prefix = 0;
    if (lineEnd > lineStart) {
      LINE_PREFIX.lastIndex = lineStart;
      prefix = LINE_PREFIX.exec(raw)?.[0].length ?? 0;
    }
    bolds.push(lineEnd > lineStart && isEmphasised(raw, lineStart + prefix, lineEnd));
    if (prefix > 0) flush(lineStart);

    for (let i = lineStart + prefix; i < lineEnd; i++) {
      const c = raw.charCodeAt(i);
      if (plain(c)) {
        // Most of a text: a run of printable ASCII that the cases below would keep a character at a time.
        let end = i + 1;
        while (end < lineEnd && plain(raw.charCodeAt(end))) end++;
        if (run < 0) run = i;
        let n = length;
        for (let at = i; at < end; at++) map[n++] = at;
        length = n;
        i = end - 1;
        continue;
      }
      if (c === 0x0d || c === 0x2a /* * */ || dropped(c)) {
        flush(i);
        continue;
      }
      if (c === 0x5f /* _ */ && (raw.charCodeAt(i + 1) === 0x5f || raw.charCodeAt(i - 1) === 0x5f)) {
        flush(i);
        continue;
      }
      if (c === 0x5c /* \ */ && i + 1 < lineEnd && ESCAPABLE.has(raw[i + 1])) {
        flush(i);
        continue;
      }
      if (c === 0x26 /* & */) {
        const entity = ENTITIES.find(([name]) => raw.startsWith(name, i));
        if (entity) {
          put(entity[1], i);
          i += entity[0].length - 1;
          continue;
        }
      }
      if (c === 0x3c /* < */) {
        if (BREAK_TAG.test(raw.slice(i, i + 6))) {
          flush(i);
          i = raw.indexOf('>', i);
          continue;
        }
      }
      if (spaceLike(c)) put(' ', i);
      else if (c >= 0x2018) {
        const quote = QUOTES[raw[i]];
        if (quote) put(quote, i);
        else keep(i);
      } else keep(i);
    }
    if (lineEnd >= raw.length) break;
    keep(lineEnd); // the line break itself, in the run that the next line may go on
    lineStart = lineEnd + 1;
  }

  flush(raw.length);
  const text = parts.join('');
  const lines: Line[] = [];
  let at = 0;
  let index = 0;
  while (at <= text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const lineText = end > at ? text.slice(at, end) : '';
    const blank = end === at || lineText.trim() === '';
    // Every field set here, the memos too, so that all lines share one object shape.
    const bold = bolds[index] ?? false;
    lines.push({ text: lineText, start: at, end, bold, blank, prompt: blank ? false : undefined, quotes: undefined });
    index++;
    at = end + 1;
  }
  return { raw, text, map: map.subarray(0, length), lines };
}

/** New-style forms print their prompts and affirmations bold: "**...", "__...", or "*...*" around the line. */
function isEmphasised(raw: string, from: number, to: number): boolean {
  let end = to;
  while (end > from && /\s/.test(raw[end - 1])) end--;
  if (end - from < 2) return false;
  const a = raw[from];
  const b = raw[from + 1];
  if ((a === '*' || a === '_') && b === a && end - from >= 3 && !/\s/.test(raw[from + 2])) return true;
  return a === '*' && b !== '*' && !/\s/.test(b) && raw[end - 1] === '*' && end - from >= 3;
}

/** The raw input behind a normalised span, trimmed: a verbatim substring of what the sender wrote. */
export function evidenceOf(doc: NoticeText, span: Span): string {
  let { start, end } = span;
  while (start < end && /\s/.test(doc.text[start])) start++;
  while (end > start && /\s/.test(doc.text[end - 1])) end--;
  if (end <= start) return '';
  return doc.raw.slice(doc.map[start], doc.map[end - 1] + 1);
}

export function lineIndexAt(doc: NoticeText, offset: number): number {
  let lo = 0;
  let hi = doc.lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (doc.lines[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Every match of a global regex as a span; the regex must carry the `g` flag. */
export function matchAll(text: string, re: RegExp): Span[] {
  return mayMatch(text, re) ? matchSpans(text, re) : [];
}

export const REDACTED = /\[\s*(?:private|redacted|removed)\s*\]/i;
/** A line holding only redaction markers ("[private]", "/[private]/", "*private*" once emphasis is gone). */
export function isRedactedLine(text: string): boolean {
  const t = text.trim();
  if (/^(?:private|redacted)\.?$/i.test(t)) return true;
  return (
    REDACTED.test(t) && t.replace(/\[\s*(?:private|redacted|removed)\s*\]/gi, '').replace(/[\s/.,;:|｜-]/g, '') === ''
  );
}
