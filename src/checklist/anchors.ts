/**
 * Where a pattern's matches can start, so that a pattern is tried at those places only instead of at every position
 * of the text. A pattern such as /\b(?:my|our)\s+copyrighted\s+.../gi can match only where a word of the text begins
 * with "my" or "our": the text is read once into an index of where its words start (by their first three
 * characters), and the pattern, made sticky, is tried at each such start in turn. Every match starts at one of them,
 * so the first place it matches is the leftmost match, which is what a global scan finds: the matches are the same.
 * What this reader does not plainly understand in a pattern's source it does not anchor; those patterns scan the
 * whole text, as before.
 */
import { branchesOf, closeOf } from './prefilter';

/** Texts shorter than this are scanned directly: the index would cost more than it saves. */
const MIN_TEXT = 512;
/** A word prefix must have this many characters to be looked up; a shorter one must be a whole word. */
const MIN_PREFIX = 3;
/** A sticky try costs about as much as scanning this many characters: more starts than length / this, scan. */
const SCAN_PER_TRY = 64;
const BUCKETS = 1 << 12;

/**
 * A place a match can start: a word of the text that is `word` (lower-case), or begins with it; or, `anywhere`,
 * an occurrence of `word` (a literal whose first character is not a word character).
 */
interface Anchor {
  word: string;
  exact: boolean;
  /** Not a word but a literal starting with another character ("(", "'m"): found wherever it is in the text. */
  anywhere?: boolean;
  /** After "^": the start of the text, and with the m flag the start of each line. */
  line?: 'text' | 'lines';
}

function isWordCode(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

/** An ASCII word character, lower-cased; 0 for any other (or none). */
function foldedWordCode(c: number): number {
  if (!isWordCode(c)) return 0;
  return c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
}

function bucketOf(a: number, b: number, c: number): number {
  return (((a * 0x9e3779b1) ^ (b * 0x85ebca6b) ^ (c * 0xc2b2ae35)) >>> 0) & (BUCKETS - 1);
}

// ---- what a pattern's source says of its starts ------------------------------------------------------------

/** Escapes that match only non-word characters: \s, the line breaks and tab, and escaped punctuation. */
const NON_WORD_ESCAPE = /[snrt./\\\-()[\]{}|?*+^$'"&#@%:,;!=<>~`]/;
const META = new Set([...'\\^$.|?*+()[]{}']);

/**
 * Whether what the source holds at `at` surely matches a non-word character (or the end of a word, \b) first.
 * `after` answers for the end of the source.
 */
function nonWordFollows(src: string, at: number, after: () => boolean): boolean {
  if (at >= src.length) return after();
  const c = src[at];
  let next: number;
  let group: string[] | undefined;
  if (c === '(') {
    if (src[at + 1] === '?' && src[at + 2] !== ':') return false; // lookarounds and the like
    const end = closeOf(src, at);
    group = end < 0 ? undefined : branchesOf(src.slice(src[at + 1] === '?' ? at + 3 : at + 1, end));
    if (!group) return false;
    next = end + 1;
  } else if (c === '\\') {
    const e = src[at + 1];
    if (e === 'b') return true;
    if (e === undefined || !NON_WORD_ESCAPE.test(e)) return false;
    next = at + 2;
  } else {
    // Any other character stands for itself; one that is not an ASCII word character matches none (with or
    // without case folding: no other character folds to an ASCII one without the u flag).
    if (META.has(c) || isWordCode(c.charCodeAt(0))) return false;
    next = at + 1;
  }
  const q = quantifierAt(src, next);
  if (!q) return false;
  const rest = (): boolean => nonWordFollows(src, q.rest, after);
  // A group's first character is a non-word one when each of its branches starts with one (or is skipped whole
  // and what follows the group does).
  const repeats = src[next] === '+' || src[next] === '*' || src[next] === '{';
  const branchAfter = repeats ? (): boolean => false : rest;
  const first = group ? group.every((b) => b !== '' && nonWordFollows(b, 0, branchAfter)) : true;
  // Skipped ("\s*", "-?", "(?:\s+x)?"), what follows it must start with a non-word character.
  return first && (!q.skippable || rest());
}

/**
 * The quantifier at `at`: whether it allows no repetition ("?", "*", "{0,n}", lazy or not), and the index past it.
 * Undefined for one this reader does not weigh (a lazy "+", a "{" that is not a quantifier).
 */
function quantifierAt(src: string, at: number): { skippable: boolean; rest: number } | undefined {
  const q = src[at];
  if (q === '+') return src[at + 1] === '?' ? undefined : { skippable: false, rest: at + 1 };
  if (q === '{') {
    const m = /^\{(\d+)(?:,\d*)?\}/.exec(src.slice(at, at + 24));
    if (!m) return undefined;
    const rest = at + m[0].length;
    return { skippable: Number(m[1]) === 0, rest: src[rest] === '?' ? rest + 1 : rest };
  }
  if (q !== '?' && q !== '*') return { skippable: false, rest: at };
  return { skippable: true, rest: src[at + 1] === '?' ? at + 2 : at + 1 };
}

/**
 * The anchors of a sequence that starts right after a \b: a run of literal word characters, or a group each of
 * whose branches starts with one. Null where that is not plainly so.
 */
function leadingAnchors(src: string, after: () => boolean, wordStart: boolean): Anchor[] | null {
  const literal = literalAt(src);
  if (literal !== undefined) return literal === '' ? null : [{ word: literal, exact: false, anywhere: true }];
  if (!wordStart) return null;
  if (src.startsWith('(')) {
    if (src[1] === '?' && src[2] !== ':') return null; // lookarounds, named groups, modifiers
    const end = closeOf(src, 0);
    if (end < 0) return null;
    // "(?:the\s+)?original": a match starts with the group's words, or with what follows it.
    const q = quantifierAt(src, end + 1);
    // A repeated group ("(...)+", "(...)*", "(...){2}") is not read.
    if (!q || src[end + 1] === '+' || src[end + 1] === '*' || src[end + 1] === '{') return null;
    const { skippable, rest } = q;
    const inner = src.slice(src[1] === '?' ? 3 : 1, end);
    const branches = branchesOf(inner);
    if (!branches) return null;
    const out: Anchor[] = [];
    const groupAfter = (): boolean => nonWordFollows(src, rest, after);
    for (const branch of branches) {
      const found = leadingAnchors(branch, groupAfter, wordStart);
      if (!found) return null;
      out.push(...found);
    }
    if (skippable) {
      const without = rest < src.length ? leadingAnchors(src.slice(rest), after, wordStart) : null;
      if (!without) return null;
      out.push(...without);
    }
    return out;
  }
  let word = '';
  let i = 0;
  while (i < src.length) {
    let code = src.charCodeAt(i);
    let length = 1;
    const letters = /^\[([A-Za-z])([A-Za-z])\]/.exec(src.slice(i, i + 4));
    if (letters && (letters[1].charCodeAt(0) | 0x20) === (letters[2].charCodeAt(0) | 0x20)) {
      // "[Mm]": one letter in either case, which the folded index does not tell apart.
      code = letters[1].charCodeAt(0);
      length = 4;
    } else if (!isWordCode(code) && src[i + 1] === '?' && src[i + 2] !== '?' && !META.has(src[i]) && word !== '') {
      // "e-?mail": the word with the character ("e" ending at "-"), or without it ("email").
      const tail = src.slice(i + 2);
      const withIt = leadingAnchors(word + src[i] + tail, after, wordStart);
      const without = leadingAnchors(word + tail, after, wordStart);
      return withIt && without ? [...withIt, ...without] : null;
    }
    if (!isWordCode(code)) break;
    const q = src[i + length];
    if (q === '?' && src[i + length + 1] !== '?' && length === 1) {
      // "an?": the word with the character, or without it.
      const tail = src.slice(i + 2);
      const withIt = leadingAnchors(word + src[i] + tail, after, wordStart);
      const without = leadingAnchors(word + tail, after, wordStart);
      return withIt && without ? [...withIt, ...without] : null;
    }
    if (q === '?' || q === '*' || q === '+' || q === '{') {
      // The word goes on with this character, or without it: what is known is the prefix before it.
      return word.length >= MIN_PREFIX ? [{ word: word.toLowerCase(), exact: false }] : null;
    }
    word += String.fromCharCode(code);
    i += length;
  }
  if (word.length === 0) return null;
  const exact = nonWordFollows(src, i, after);
  if (!exact && word.length < MIN_PREFIX) return null;
  return [{ word: word.toLowerCase(), exact }];
}

/** The places every match of the source `src` starts at; null when that is not plainly read from it. */
export function anchorsOf(src: string, multiline = false): Anchor[] | null {
  const branches = branchesOf(src);
  if (!branches) return null;
  const out: Anchor[] = [];
  for (const branch of branches) {
    // Assertions at the start hold where the match starts and do not move it: read past them. After \b, a word
    // character starts a word; without it, only a literal starting with another character is looked for.
    let at = 0;
    let wordStart = false;
    for (;;) {
      if (branch.startsWith('\\b', at)) {
        wordStart = true;
        at += 2;
      } else if (branch[at] === '^') {
        at = -1;
        break;
      } else if (/^\(\?<?[=!]/.test(branch.slice(at, at + 4))) {
        const end = closeOf(branch, at);
        if (end < 0 || '?*+{'.includes(branch[end + 1] ?? '')) return null;
        at = end + 1;
      } else break;
    }
    // "^" (outside a lookaround): the match starts where a line does.
    if (at < 0) {
      out.push({ word: '', exact: false, line: multiline ? 'lines' : 'text' });
      continue;
    }
    const found = at < branch.length ? leadingAnchors(branch.slice(at), () => false, wordStart) : null;
    if (!found) return null;
    out.push(...found);
  }
  return out;
}

/** Escapes that stand for one character: the line breaks, tab and escaped punctuation. */
const LITERAL_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t' };

/**
 * The literal a sequence starts with when its first character is a literal that is not a word character ("(",
 * "'m", "\\["), lower-cased, up to the first character that is not a plain literal or is quantified; '' when that
 * first literal may be skipped; undefined when the sequence does not start with such a character.
 */
function literalAt(src: string): string | undefined {
  let literal = '';
  let i = 0;
  while (i < src.length) {
    let c = src[i];
    let length = 1;
    if (c === '\\') {
      const e = src[i + 1];
      if (e === undefined) break;
      if (LITERAL_ESCAPES[e] !== undefined) c = LITERAL_ESCAPES[e];
      else if (NON_WORD_ESCAPE.test(e) && e !== 's' && !/[a-z]/i.test(e)) c = e;
      else break;
      length = 2;
    } else if (META.has(c)) break;
    // Only ASCII is lower-cased as the pattern's case folding reads it ("σ" also matches "ς").
    if (c.charCodeAt(0) >= 0x80) break;
    if (literal === '' && isWordCode(c.charCodeAt(0))) return undefined;
    const q = src[i + length];
    if (q === '?' || q === '*' || q === '{' || q === '+') {
      // Quantified: the literal ends before it ("+" would allow it once; it is simply not read).
      if (literal === '') return q === '+' ? c.toLowerCase() : '';
      break;
    }
    literal += c;
    i += length;
  }
  return literal === '' ? undefined : literal.toLowerCase();
}

interface Plan {
  anchors: Anchor[];
  sticky: RegExp;
}

const plans = new WeakMap<RegExp, Plan | null>();

function planOf(re: RegExp): Plan | null {
  let plan = plans.get(re);
  if (plan === undefined) {
    // With Unicode case folding "ſ" matches "s" and the Kelvin sign "k", and \w holds them: not anchored.
    const folds = re.ignoreCase && (re.unicode || re.flags.includes('v'));
    const anchors = folds || !re.global || re.sticky ? null : anchorsOf(re.source, re.multiline);
    plan = anchors ? { anchors, sticky: new RegExp(re.source, `${re.flags.replace('g', '')}y`) } : null;
    plans.set(re, plan);
  }
  return plan;
}

// ---- per text ----------------------------------------------------------------------------------------------

/** Where the words of a text start, bucketed by their first three characters (ASCII, case folded). */
class WordStarts {
  readonly lower: string;
  private readonly head = new Int32Array(BUCKETS).fill(-1);
  private readonly next: Int32Array;
  private readonly at: Int32Array;

  constructor(
    readonly text: string,
    lower: string,
  ) {
    this.lower = lower;
    const starts: number[] = [];
    let previousWord = false;
    for (let i = 0; i < text.length; i++) {
      const word = isWordCode(text.charCodeAt(i));
      if (word && !previousWord) starts.push(i);
      previousWord = word;
    }
    this.next = new Int32Array(starts.length);
    this.at = new Int32Array(starts);
    // Linked from the last start back, so that each bucket lists its starts in text order.
    for (let n = starts.length - 1; n >= 0; n--) {
      const s = starts[n];
      const a = foldedWordCode(text.charCodeAt(s));
      const b = foldedWordCode(text.charCodeAt(s + 1));
      const c = b === 0 ? 0 : foldedWordCode(text.charCodeAt(s + 2));
      const bucket = bucketOf(a, b, c);
      this.next[n] = this.head[bucket];
      this.head[bucket] = n;
    }
  }

  /** The starts of the words that are `anchor.word`, or begin with it, in text order. */
  starts(anchor: Anchor, into: number[], limit: number): void {
    const w = anchor.word;
    if (anchor.line) {
      into.push(0);
      if (anchor.line === 'text') return;
      // The line terminators "^" reads with the m flag.
      for (const terminator of ['\n', '\r', '\u2028', '\u2029'])
        for (
          let at = this.text.indexOf(terminator);
          at >= 0 && into.length <= limit;
          at = this.text.indexOf(terminator, at + 1)
        )
          into.push(at + 1);
      into.sort((x, y) => x - y);
      return;
    }
    if (anchor.anywhere) {
      for (let at = this.lower.indexOf(w); at >= 0 && into.length <= limit; at = this.lower.indexOf(w, at + 1))
        into.push(at);
      return;
    }
    const a = w.charCodeAt(0);
    const b = w.length > 1 ? w.charCodeAt(1) : 0;
    const c = w.length > 2 ? w.charCodeAt(2) : 0;
    for (let n = this.head[bucketOf(a, b, c)]; n >= 0; n = this.next[n]) {
      const s = this.at[n];
      if (!this.lower.startsWith(w, s)) continue;
      if (anchor.exact && isWordCode(this.text.charCodeAt(s + w.length))) continue;
      into.push(s);
    }
  }
}

let lastText: string | undefined;
let lastStarts: WordStarts | null = null;

/** The index of the text last asked about (null where it cannot be built): one text is asked about many times. */
function wordStartsOf(text: string): WordStarts | null {
  if (text !== lastText) {
    const lower = text.toLowerCase();
    // Lower-casing keeps every offset only when no character became two ("İ"): otherwise, scan.
    lastStarts = lower.length === text.length ? new WordStarts(text, lower) : null;
    lastText = text;
  }
  return lastStarts;
}

/**
 * Where the matches of `re` in `text` may start, in text order and each once, from `from` on; undefined when the
 * pattern is not anchored or the text is better scanned whole.
 */
function candidates(text: string, re: RegExp): { starts: number[]; sticky: RegExp } | undefined {
  if (text.length < MIN_TEXT) return undefined;
  const plan = planOf(re);
  if (!plan) return undefined;
  const index = wordStartsOf(text);
  if (!index) return undefined;
  const starts: number[] = [];
  for (const anchor of plan.anchors) {
    const limit = text.length / SCAN_PER_TRY;
    index.starts(anchor, starts, limit);
    if (starts.length > limit) return undefined;
  }
  if (plan.anchors.length > 1) starts.sort((x, y) => x - y);
  return { starts, sticky: plan.sticky };
}

/** What String.prototype.matchAll reads as its start: the pattern's lastIndex, as a length. */
function startOf(re: RegExp): number {
  const n = Math.trunc(Number(re.lastIndex));
  return Number.isNaN(n) || n < 0 ? 0 : n;
}

const scanners = new WeakMap<RegExp, RegExp>();

/**
 * The [start, end) of every match of the global pattern `re` in `text`, as `text.matchAll(re)` finds them (from
 * re.lastIndex, which is left as it is), trying the pattern only where a match can start when its source says so.
 */
export function matchSpans(text: string, re: RegExp): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  const from = startOf(re);
  const anchored = candidates(text, re);
  if (anchored) {
    const { starts, sticky } = anchored;
    let at = from;
    let previous = -1;
    for (const s of starts) {
      if (s < at || s === previous) continue;
      previous = s;
      sticky.lastIndex = s;
      const m = sticky.exec(text);
      if (!m) continue;
      // After an empty match (at a line start) the next try is at a later start, as a global scan goes on.
      spans.push({ start: s, end: s + m[0].length });
      at = s + m[0].length;
    }
    return spans;
  }
  if (!re.global) throw new TypeError('matchSpans needs a global pattern');
  let scanner = scanners.get(re);
  if (!scanner) scanners.set(re, (scanner = new RegExp(re.source, re.flags)));
  const unicode = re.unicode || re.flags.includes('v');
  scanner.lastIndex = from;
  for (let m = scanner.exec(text); m; m = scanner.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    spans.push({ start, end });
    if (end === start) scanner.lastIndex = advance(text, end, unicode);
  }
  return spans;
}

/** The index after `at`: past a whole surrogate pair when the pattern reads code points. */
function advance(text: string, at: number, unicode: boolean): number {
  if (!unicode || at + 1 >= text.length) return at + 1;
  const c = text.charCodeAt(at);
  if (c < 0xd800 || c > 0xdbff) return at + 1;
  const d = text.charCodeAt(at + 1);
  return d >= 0xdc00 && d <= 0xdfff ? at + 2 : at + 1;
}
