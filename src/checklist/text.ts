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
}

/**
 * Notice text with Markdown, CRLF and odd spaces removed, so patterns can be simple. `map` keeps each
 * normalised character's offset in the raw input, so evidence is always quoted verbatim from the input.
 */
export interface NoticeText {
  raw: string;
  text: string;
  map: number[];
  lines: Line[];
}

const LINE_PREFIX = /^[ \t\u00a0\u3000]*(?:>[ \t\u00a0]*){0,4}(?:#{1,6}[ \t]+)?(?:(?:[-+•·§o]|=>)[ \t\u00a0]+)?/;
const SPACE_LIKE = /[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]/;
const DROPPED = /[\u200b-\u200d\ufeff\u00ad]/;
const ENTITIES: ReadonlyArray<[string, string]> = [
  ['&amp;', '&'],
  ['&nbsp;', ' '],
  ['&lt;', '<'],
  ['&gt;', '>'],
  ['&quot;', '"'],
  ['&#39;', "'"],
];
const QUOTES: Record<string, string> = { '\u2018': "'", '\u2019': "'", '\u201c': '"', '\u201d': '"', '\uff1a': ':' };

export function normalise(raw: string): NoticeText {
  const out: string[] = [];
  const map: number[] = [];
  const bolds: boolean[] = [];
  const push = (ch: string, at: number): void => {
    out.push(ch);
    map.push(at);
  };

  let lineStart = 0;
  while (lineStart <= raw.length) {
    let lineEnd = raw.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = raw.length;
    const rawLine = raw.slice(lineStart, lineEnd);
    const prefix = LINE_PREFIX.exec(rawLine)?.[0].length ?? 0;
    const body = rawLine.slice(prefix).trimEnd();
    bolds.push(/^(\*\*|__)\S/.test(body) || /^\*[^*\s].*\*$/.test(body));

    for (let i = lineStart + prefix; i < lineEnd; i++) {
      const ch = raw[i];
      if (ch === '\r' || ch === '*' || DROPPED.test(ch)) continue;
      if (ch === '_' && (raw[i + 1] === '_' || raw[i - 1] === '_')) continue;
      if (ch === '\\' && i + 1 < lineEnd && /[.\-*_#()[\]!]/.test(raw[i + 1])) continue;
      if (ch === '&') {
        const entity = ENTITIES.find(([name]) => raw.startsWith(name, i));
        if (entity) {
          push(entity[1], i);
          i += entity[0].length - 1;
          continue;
        }
      }
      if (ch === '<' && /^<br\s*\/?>/i.test(raw.slice(i, i + 6))) {
        i = raw.indexOf('>', i);
        continue;
      }
      push(SPACE_LIKE.test(ch) ? ' ' : (QUOTES[ch] ?? ch), i);
    }
    if (lineEnd >= raw.length) break;
    push('\n', lineEnd);
    lineStart = lineEnd + 1;
  }

  const text = out.join('');
  const lines: Line[] = [];
  let at = 0;
  text.split('\n').forEach((lineText, index) => {
    lines.push({
      text: lineText,
      start: at,
      end: at + lineText.length,
      bold: bolds[index] ?? false,
      blank: lineText.trim() === '',
    });
    at += lineText.length + 1;
  });
  return { raw, text, map, lines };
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
  const spans: Span[] = [];
  for (const m of text.matchAll(re)) {
    const start = m.index;
    spans.push({ start, end: start + m[0].length });
  }
  return spans;
}

export const REDACTED = /\[\s*(?:private|redacted|removed)\s*\]/i;
/** A line holding only redaction markers ("[private]", "/[private]/", "*private*" once emphasis is gone). */
export function isRedactedLine(text: string): boolean {
  const t = text.trim();
  if (/^(?:private|redacted)\.?$/i.test(t)) return true;
  return (
    REDACTED.test(t) && t.replace(/\[\s*(?:private|redacted|removed)\s*\]/gi, '').replace(/[\s/.,;:-]/g, '') === ''
  );
}
