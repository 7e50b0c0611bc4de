/**
 * A cheap test that a rule's pattern cannot match a text, so that the checklist's hundred-odd patterns do not each
 * scan a text that lacks their wording. Each pattern's source is read once for the literal words its matches must
 * contain (/\bpenalt(?:y|ies)\s+of\s+perjury\b/: "penalt" and "perjury"; an alternation needs one of its
 * branches); the text is read once into a set of the three-character sequences it holds (ASCII, case folded). A
 * pattern whose words cannot all be in the text is not run. The test only ever skips a pattern that could not have
 * matched: what the reader of the source does not plainly understand it takes as matching anything. The patterns
 * themselves, and so the wording each rule accepts, are unchanged.
 */
import { isSpace } from '../core/chars';

/** Texts shorter than this are scanned directly: the set would cost more than it saves. */
const MIN_TEXT = 512;
const MIN_LITERAL = 3;
const BITS = 1 << 16;

/** Any character \s matches: every one is read as this one code, and so is a literal space of a pattern. */
const SPACE = 1;
const SPACE_CHAR = String.fromCharCode(SPACE);

/** Lower-cased ASCII letters, other ASCII as itself, spaces as SPACE; other characters 0, which no literal holds. */
function fold(c: number): number {
  if (c >= 0x41 && c <= 0x5a) return c | 0x20;
  if (isSpace(c)) return SPACE;
  return c < 0x80 ? c : 0;
}

function gram(a: number, b: number, c: number): number {
  return ((a * 0x9e3779b1) ^ (b * 0x85ebca6b) ^ (c * 0xc2b2ae35)) >>> 16;
}

/** The three-character sequences of a text, folded as `fold` does, as a 64K-bit set (a Bloom filter of one hash). */
class TrigramSet {
  private readonly bits = new Uint32Array(BITS >>> 5);

  constructor(text: string) {
    let a = 0;
    let b = 0;
    for (let i = 0; i < text.length; i++) {
      const c = fold(text.charCodeAt(i));
      if (i >= 2) {
        const h = gram(a, b, c);
        this.bits[h >>> 5] |= 1 << (h & 31);
      }
      a = b;
      b = c;
    }
  }

  /** False only when `literal` (lower-case ASCII, 3 or more characters) is surely not in the text. */
  mayContain(literal: string): boolean {
    for (let i = 2; i < literal.length; i++) {
      const h = gram(literal.charCodeAt(i - 2), literal.charCodeAt(i - 1), literal.charCodeAt(i));
      if ((this.bits[h >>> 5] & (1 << (h & 31))) === 0) return false;
    }
    return true;
  }
}

// ---- what a pattern's matches must contain -----------------------------------------------------------------

/**
 * What every match of a pattern contains: one of `branches`, each branch a list of terms that its matches all
 * contain, a term being a lower-case literal (ASCII, MIN_LITERAL characters or more, SPACE for a space or a \s)
 * or a group's own requirement.
 * A branch with no terms can match anything, and so can the whole.
 */
export interface Requirement {
  branches: (string | Requirement)[][];
}

/** Characters that are themselves when escaped; any other escape (\s, \b, \d, \1 ...) is not read as a literal. */
const ESCAPED_LITERAL = /[./\\\-()[\]{}|?*+^$'"&#@%:,;!=<>~`]/;
/** Characters with a meaning outside a class; every other printable ASCII character is itself. */
const META = new Set([...'\\^$.|?*+()[]{}']);

interface Item {
  /** The literal character (printable ASCII), when the item is one. */
  char?: string;
  /** The inner source of a consuming group. */
  group?: string;
  /** Zero-width: a word boundary, an anchor, a lookaround. */
  zeroWidth?: boolean;
  /** Its quantifier allows zero repetitions. */
  optional: boolean;
  /** It has a quantifier, so that a run of literal characters ends with it. */
  quantified: boolean;
}

function classEnd(src: string, open: number): number {
  for (let i = open + 1; i < src.length; i++) {
    if (src[i] === '\\') i++;
    else if (src[i] === ']') return i;
  }
  return -1;
}

/** The index of the ")" closing the group opened at `open`, past classes and escapes; -1 if there is none. */
export function closeOf(src: string, open: number): number {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === '[') {
      i = classEnd(src, i);
      if (i < 0) return -1;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/** The quantifier at `at` (length 0 when there is none); undefined for a "{" that is not one. */
function quantifierAt(src: string, at: number): { length: number; optional: boolean } | undefined {
  const c = src[at];
  let length = 0;
  let optional = false;
  if (c === '?' || c === '*') [length, optional] = [1, true];
  else if (c === '+') length = 1;
  else if (c === '{') {
    const m = /^\{(\d+)(?:,\d*)?\}/.exec(src.slice(at, at + 24));
    if (!m) return undefined;
    [length, optional] = [m[0].length, Number(m[1]) === 0];
  }
  if (length > 0 && src[at + length] === '?') length++; // lazy
  return { length, optional };
}

/** The length of the escape at `at` ("\\" included) and what it is; undefined where it is not understood. */
function escapeAt(
  src: string,
  at: number,
): { length: number; item: Omit<Item, 'optional' | 'quantified'> } | undefined {
  const e = src[at + 1];
  if (e === undefined) return undefined;
  if (e === 'b' || e === 'B') return { length: 2, item: { zeroWidth: true } };
  if (e === 's') return { length: 2, item: { char: SPACE_CHAR } };
  if (ESCAPED_LITERAL.test(e)) return { length: 2, item: { char: e } };
  if (e === 'p' || e === 'P' || e === 'k' || (e === 'u' && src[at + 2] === '{')) {
    const close = src.indexOf(e === 'k' ? '>' : '}', at);
    return close < 0 ? undefined : { length: close - at + 1, item: {} };
  }
  if (e === 'u') return { length: 6, item: {} };
  if (e === 'x') return { length: 4, item: {} };
  if (e === 'c') return { length: 3, item: {} };
  if (/[1-9]/.test(e)) return { length: 2 + (/^\d*/.exec(src.slice(at + 2))?.[0].length ?? 0), item: {} };
  return /[a-zA-Z0]/.test(e) ? { length: 2, item: {} } : undefined;
}

/** The items of one branch, or undefined where the source holds what this reader does not understand. */
function items(src: string): Item[] | undefined {
  const out: Item[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    let item: Omit<Item, 'optional' | 'quantified'>;
    let next: number;
    if (c === '\\') {
      const escape = escapeAt(src, i);
      if (!escape) return undefined;
      item = escape.item;
      next = i + escape.length;
    } else if (c === '[') {
      const end = classEnd(src, i);
      if (end < 0) return undefined;
      item = {};
      next = end + 1;
    } else if (c === '(') {
      const end = closeOf(src, i);
      if (end < 0) return undefined;
      if (/^\(\?<?[=!]/.test(src.slice(i, i + 4))) item = { zeroWidth: true };
      else if (src.startsWith('(?:', i)) item = { group: src.slice(i + 3, end) };
      else if (/^\(\?<[A-Za-z_$]/.test(src.slice(i, i + 4))) item = { group: src.slice(src.indexOf('>', i) + 1, end) };
      else if (src[i + 1] === '?')
        return undefined; // modifiers and the like
      else item = { group: src.slice(i + 1, end) };
      next = end + 1;
    } else if (c === '^' || c === '$') {
      item = { zeroWidth: true };
      next = i + 1;
    } else if (META.has(c)) {
      if (c !== '.') return undefined; // a quantifier or "|" where an item was expected
      item = {};
      next = i + 1;
    } else {
      item = c === ' ' ? { char: SPACE_CHAR } : c > ' ' && c <= '~' ? { char: c } : {};
      next = i + 1;
    }
    const q = quantifierAt(src, next);
    if (!q) return undefined;
    out.push({ ...item, optional: q.optional, quantified: q.length > 0 });
    i = next + q.length;
  }
  return out;
}

/** The top-level branches of a source, split at "|" outside groups and classes. */
export function branchesOf(src: string): string[] | undefined {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === '[') {
      i = classEnd(src, i);
      if (i < 0) return undefined;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(src.slice(from, i));
      from = i + 1;
    }
  }
  out.push(src.slice(from));
  return out;
}

/** What every match of the source `src` contains; undefined when that is not plainly read from it. */
export function requirementOf(src: string): Requirement | undefined {
  const sources = branchesOf(src);
  if (!sources) return undefined;
  const branches: (string | Requirement)[][] = [];
  for (const branch of sources) {
    const terms = branchTerms(branch);
    if (!terms || terms.length === 0) return undefined; // a branch that can match anything
    branches.push(terms);
  }
  return { branches };
}

/** The terms one branch's matches all contain: its runs of literal characters and its required groups' needs. */
function branchTerms(src: string): (string | Requirement)[] | undefined {
  const list = items(src);
  if (!list) return undefined;
  const terms: (string | Requirement)[] = [];
  let run = '';
  const endRun = (): void => {
    if (run.length >= MIN_LITERAL) terms.push(run.toLowerCase());
    run = '';
  };
  for (const item of list) {
    if (item.char !== undefined && !item.optional) {
      run += item.char;
      if (item.quantified) {
        // "a\s+b": the run "a" and one space ends here, and the last of the spaces starts the next one.
        endRun();
        run = item.char;
      }
      continue;
    }
    endRun();
    if (item.zeroWidth || item.optional || item.group === undefined) continue;
    const inner = requirementOf(item.group);
    if (inner) terms.push(inner);
  }
  endRun();
  return terms;
}

// ---- per pattern and per text ------------------------------------------------------------------------------

const requirements = new WeakMap<RegExp, Requirement | null>();

function patternRequirement(re: RegExp): Requirement | null {
  let found = requirements.get(re);
  if (found === undefined) {
    // With Unicode case folding "ſ" matches "s" and the Kelvin sign "k": such patterns are always run.
    const folds = re.ignoreCase && (re.unicode || re.flags.includes('v'));
    found = folds ? null : (requirementOf(re.source) ?? null);
    requirements.set(re, found);
  }
  return found;
}

function satisfied(req: Requirement, set: TrigramSet): boolean {
  return req.branches.some((terms) =>
    terms.every((t) => (typeof t === 'string' ? set.mayContain(t) : satisfied(t, set))),
  );
}

let lastText: string | undefined;
let lastSet: TrigramSet | undefined;

/** The set of the text last asked about: the checklist asks about one text many times in a row. */
function trigramsOf(text: string): TrigramSet {
  if (text !== lastText || !lastSet) {
    lastSet = new TrigramSet(text);
    lastText = text;
  }
  return lastSet;
}

/** False only when `re` surely has no match in `text`. */
export function mayMatch(text: string, re: RegExp): boolean {
  if (text.length < MIN_TEXT) return true;
  const req = patternRequirement(re);
  return req === null || satisfied(req, trigramsOf(text));
}
