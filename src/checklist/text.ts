import { isSpace } from '../core/chars';
import { matchSpans } from './anchors';
import { mayMatch } from './prefilter';

/** A span of the normalised text, [start, end). */
export interface Span {
  start: number;
  end: number;
}

/**
 * One line of a normalised text, as a record: made on demand (`Lines.at`) for the few lines a rule keeps hold of
 * (an answer, a closing block), never for every line of a text. `index` is the line's place in `NoticeText.lines`,
 * -1 for a part of a line that a rule reads as a line of its own (the answer typed after a bold prompt).
 */
export interface Line {
  index: number;
  text: string;
  start: number;
  end: number;
  /** The line was wrapped in Markdown emphasis: new-style forms print their prompts and affirmations bold. */
  bold: boolean;
  blank: boolean;
}

const BOLD = 1;
const BLANK = 2;
const PROMPT_KNOWN = 4;
const PROMPT = 8;

/**
 * The lines of a normalised text as columns: where each starts and ends in the text, and a byte of flags (bold,
 * blank, and the memo of whether it is a form's prompt). A megabyte of line breaks is a million lines: as columns
 * they are three typed arrays, not a million objects that outlive the young generation and make the collector's
 * work grow faster than the text. A line's text is sliced from the text when asked for.
 */
export class Lines {
  /** Memo of the quote count of the lines it was asked for (few: the line before an instruction's statement). */
  private readonly quoteCounts = new Map<number, number>();

  constructor(
    private readonly source: string,
    private readonly starts: Int32Array,
    private readonly ends: Int32Array,
    private readonly flags: Uint8Array,
  ) {}

  get length(): number {
    return this.starts.length;
  }

  start(i: number): number {
    return this.starts[i];
  }

  end(i: number): number {
    return this.ends[i];
  }

  text(i: number): string {
    const start = this.starts[i];
    const end = this.ends[i];
    return end > start ? this.source.slice(start, end) : '';
  }

  blank(i: number): boolean {
    return (this.flags[i] & BLANK) !== 0;
  }

  bold(i: number): boolean {
    return (this.flags[i] & BOLD) !== 0;
  }

  /** The line as a record, for a rule that keeps it. */
  at(i: number): Line {
    const flags = this.flags[i];
    return {
      index: i,
      text: this.text(i),
      start: this.starts[i],
      end: this.ends[i],
      bold: (flags & BOLD) !== 0,
      blank: (flags & BLANK) !== 0,
    };
  }

  /** Records of lines [from, to), as `Array.prototype.slice` would cut them. */
  slice(from: number, to: number): Line[] {
    const out: Line[] = [];
    const end = Math.min(to, this.length);
    for (let i = Math.max(0, from); i < end; i++) out.push(this.at(i));
    return out;
  }

  /** Whether line `i` is a form's prompt, as `decide` says of its text the first time it is asked (blank: never). */
  prompt(i: number, decide: (text: string, bold: boolean) => boolean): boolean {
    const flags = this.flags[i];
    if (flags & PROMPT_KNOWN) return (flags & PROMPT) !== 0;
    const prompt = (flags & BLANK) === 0 && decide(this.text(i), (flags & BOLD) !== 0);
    this.flags[i] = flags | PROMPT_KNOWN | (prompt ? PROMPT : 0);
    return prompt;
  }

  /** The quotes of line `i`, as `count` says of its text the first time it is asked. */
  quotes(i: number, count: (text: string) => number): number {
    let n = this.quoteCounts.get(i);
    if (n === undefined) this.quoteCounts.set(i, (n = count(this.text(i))));
    return n;
  }
}

/**
 * Notice text with Markdown, CRLF and odd spaces removed, so patterns can be simple. `map` keeps each
 * normalised character's offset in the raw input, so evidence is always quoted verbatim from the input.
 */
export interface NoticeText {
  raw: string;
  text: string;
  map: Int32Array;
  lines: Lines;
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

const PIECES_PER_CHUNK = 4096;

/**
 * One pass over the input, each character looked at a bounded number of times; the text is built from unchanged
 * runs sliced from the input and the offsets kept in a typed array, so a megabyte costs no more per KB than a page.
 */
export function normalise(raw: string): NoticeText {
  // The pieces of the text, joined a few thousand at a time: a text that drops a character on every line ("**a" a
  // line) is cut into a piece a line, and a million of them kept to the end would outlive the young generation.
  const chunks: string[] = [];
  const parts: string[] = [];
  const add = (piece: string): void => {
    parts.push(piece);
    if (parts.length === PIECES_PER_CHUNK) {
      chunks.push(parts.join(''));
      parts.length = 0;
    }
  };
  const map = new Int32Array(raw.length + 1);
  let length = 0;
  let run = -1; // start of the current run of characters copied unchanged
  const flush = (to: number): void => {
    if (run >= 0 && to > run) add(raw.slice(run, to));
    run = -1;
  };
  const keep = (at: number): void => {
    if (run < 0) run = at;
    map[length++] = at;
  };
  const put = (ch: string, at: number): void => {
    flush(at);
    add(ch);
    map[length++] = at;
  };
  // One line of the text a line of the input: normalise drops and replaces characters, never a line break.
  let lineCount = 1;
  for (let at = raw.indexOf('\n'); at >= 0; at = raw.indexOf('\n', at + 1)) lineCount++;
  const starts = new Int32Array(lineCount);
  const ends = new Int32Array(lineCount);
  const flags = new Uint8Array(lineCount);
  let line = 0;

  let lineStart = 0;
  while (lineStart <= raw.length) {
    let lineEnd = raw.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = raw.length;
    let prefix = 0;
    if (lineEnd > lineStart) {
      LINE_PREFIX.lastIndex = lineStart;
      prefix = LINE_PREFIX.exec(raw)?.[0].length ?? 0;
    }
    if (lineEnd > lineStart && isEmphasised(raw, lineStart + prefix, lineEnd)) flags[line] = BOLD;
    starts[line] = length;
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
    ends[line] = length;
    if (lineEnd >= raw.length) break;
    keep(lineEnd); // the line break itself, in the run that the next line may go on
    line++;
    lineStart = lineEnd + 1;
  }

  flush(raw.length);
  chunks.push(parts.join(''));
  const text = chunks.length === 1 ? chunks[0] : chunks.join('');
  for (let i = 0; i < lineCount; i++) if (allSpace(text, starts[i], ends[i])) flags[i] |= BLANK;
  const lines = new Lines(text, starts, ends, flags);
  return { raw, text, map: map.subarray(0, length), lines };
}

/** Whether text[from, to) is empty or only what `String.prototype.trim` removes. */
export function allSpace(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
}

/** A character of `\s`: the one test, in core/chars. */
export { isSpace };

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
    if (doc.lines.start(mid) <= offset) lo = mid;
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
