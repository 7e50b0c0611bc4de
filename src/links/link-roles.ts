import { isSpace } from '../core/chars';
import {
  classifyNormalized,
  normalizeUrlParts,
  type ClassifiedLink,
  type ClassifyOptions,
  type NormalizedParts,
} from './link-classifier';
import { cleanText, findUrls, type UrlOccurrence } from './extract';

export type LinkRole = 'infringing' | 'original' | 'reference';

export interface SortedLink extends ClassifiedLink {
  role: LinkRole;
  /** The URL as first written (in the structured field or the text). */
  raw: string;
  /** What decided the role, for the staff UI ("section: infringing material", "cue: original"...). */
  roleReason?: string;
}

export interface SortLinksInput {
  text?: string;
  infringingUrls?: string[];
  workUrl?: string;
}

export interface SortLinksOptions extends ClassifyOptions {
  /** Extra URL prefixes (host + path, no scheme) that are always references, added to DEFAULT_REFERENCE_URLS. */
  referenceUrls?: string[];
}

/**
 * URL prefixes (host + optional path, no scheme) that are never the material to take down: help and policy pages,
 * the copyright office, licence texts, public notice archives.
 */
export const DEFAULT_REFERENCE_URLS: readonly string[] = [
  'docs.github.com',
  'help.github.com',
  'github.com/github/dmca',
  'github.com/contact',
  'github.com/site',
  'copyright.gov',
  'www.copyright.gov',
  'opensource.org',
  'creativecommons.org',
  'www.gnu.org/licenses',
  'gnu.org/licenses',
  'choosealicense.com',
  'spdx.org',
  'lumendatabase.org',
  'www.lumendatabase.org',
  'chillingeffects.org',
  'www.law.cornell.edu',
  'uscode.house.gov',
];

type Cue = { role: LinkRole; why: string; weak?: boolean } | null;

// ---- section headings --------------------------------------------------------------------------------------

const REF_HEAD =
  /contact|\bnotify\b|(?<!web |url |internet )\baddress\b|social media|profile|publisher information|telephone|phone|physical address|\bsign(?:ature|ed)?\b|full (?:legal )?name|licen[cs]e|best solution|guide to|technological measure|circumvention|\bremedy\b|affected user/i;
const INF_HEAD =
  /infring\w* (?:material|content|url|link|file|repo|cop|work|page|item|site)|(?:is|are) infringing|allege[ds]?(?:ly)? (?:to be )?infringing|taken? down|be (?:removed|deleted|disabled)|\bremov|\bfork|specific files?|identify the material|material (?:that|which) (?:you allege )?(?:is |are )?infring|location of (?:the )?infring|reported (?:content|url|material)/i;
const ORIG_HEAD =
  /original|\bwork\b[^?.]{0,40}\binfringed\b|copyrighted (?:work|material)|infringed work|(?:has|have) (?:allegedly )?been infringed|being infringed|work (?:you believe|which)|describe the work|identify the (?:copyrighted )?work/i;

function headingRole(h: string): Cue {
  if (REF_HEAD.test(h)) return { role: 'reference', why: 'section: contact/licence/statements' };
  if (INF_HEAD.test(h)) return { role: 'infringing', why: 'section: infringing material' };
  if (ORIG_HEAD.test(h)) return { role: 'original', why: 'section: original work' };
  return null;
}

const VALEDICTION =
  /^(?:sincerely|regards|best regards|kind regards|warm regards|best|yours (?:truly|faithfully|sincerely)|thanks|thank you|many thanks|cheers|respectfully|signed|--|—)[,.!]?$/i;
// Template instructions quoted in a letter ("Identify the material that ...", "Provide the address ...").
const INSTRUCTION = /^(?:\d{1,2}[.)]\s*)?(?:please )?(?:provide|identify|describe|list|explain|include|state)\b/i;
const STATEMENT = /good faith belief|penalty of perjury|fair use/i;
const HAS_URL = /(?:https?|ftp):\/\/|\bwww\./i;

/**
 * A text's lines, a column each: a long text may have a million lines, and an object per line made most of the time
 * of reading one. Typed arrays sized once by the line count, a line's text sliced when asked for, and headings and
 * sections (few) in tables the lines point into, so that a million blank lines make no million-entry JS arrays.
 */
interface Lines {
  count: number;
  source: string;
  start: Int32Array;
  end: Int32Array;
  /** Index into `headings` of the heading text where the line is (or starts with) a heading, -1 where it is not. */
  headingOf: Int32Array;
  headings: string[];
  /** Index into `sections` of the section role in force for URLs on the line (after applying its heading). */
  sectionOf: Int32Array;
  sections: Cue[];
}

function lineText(lines: Lines, i: number): string {
  return lines.end[i] > lines.start[i] ? lines.source.slice(lines.start[i], lines.end[i]) : '';
}

function headingAt(lines: Lines, i: number): string | undefined {
  const h = lines.headingOf[i];
  return h < 0 ? undefined : lines.headings[h];
}

/** Whether line `i` is empty or only what `String.prototype.trim` removes (the characters of `\s`). */
function isBlankLine(lines: Lines, i: number): boolean {
  const { source } = lines;
  for (let at = lines.start[i]; at < lines.end[i]; at++) {
    if (!isSpace(source.charCodeAt(at))) return false;
  }
  return true;
}

const QUOTE_OR_HEADING_MARK = /^(?:#+|>)\s*/;
const EMPHASISED = /^(\*\*|__|\*|_)(?=\S)(.+?)\1(?!\w)/;
const EMPHASIS_OPENS = /^(\*\*?|__)(?=\S)/;
const EMPHASIS_MARK = /^(\*\*?|__)/;
const ENDS_AS_QUESTION = /[:?]\**$/;
const NUMBERED = /^(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]\s+\S/i;

function splitLines(clean: string): Lines {
  let count = 1;
  for (let at = clean.indexOf('\n'); at >= 0; at = clean.indexOf('\n', at + 1)) count++;
  const lines: Lines = {
    count,
    source: clean,
    start: new Int32Array(count),
    end: new Int32Array(count),
    headingOf: new Int32Array(count).fill(-1),
    headings: [],
    sectionOf: new Int32Array(count),
    sections: [null],
  };
  for (let i = 0, at = 0; i < count; i++) {
    const next = clean.indexOf('\n', at);
    const end = next < 0 ? clean.length : next;
    lines.start[i] = at;
    lines.end[i] = end;
    at = end + 1;
  }
  let section: Cue = null;
  // Called for each line in turn; a new section is added to the table when the one in force changes.
  const put = (i: number, heading: string | undefined): void => {
    if (heading !== undefined) {
      lines.headingOf[i] = lines.headings.length;
      lines.headings.push(heading);
    }
    if (section !== lines.sections[lines.sections.length - 1]) lines.sections.push(section);
    lines.sectionOf[i] = lines.sections.length - 1;
  };
  for (let i = 0; i < count; i++) {
    if (isBlankLine(lines, i)) {
      // A blank line heads nothing and ends no section.
      put(i, undefined);
      continue;
    }
    const text = lineText(lines, i);
    const t = text.trim().replace(QUOTE_OR_HEADING_MARK, '');
    let heading: string | undefined;
    const emph = EMPHASISED.exec(t);
    if (emph) heading = emph[2];
    else if (EMPHASIS_OPENS.test(t) && !t.slice(2).includes(t.startsWith('**') ? '**' : t[0])) {
      // A bold question wrapped over several lines: the heading runs to the line that closes it.
      const mark = EMPHASIS_MARK.exec(t)![1];
      const parts = [t.slice(mark.length)];
      let j = i + 1;
      while (j < count && j <= i + 8 && !lineText(lines, j).includes(mark)) parts.push(lineText(lines, j++).trim());
      if (j < count && j <= i + 8) {
        const closing = lineText(lines, j);
        parts.push(closing.slice(0, closing.indexOf(mark)).trim());
        heading = parts.join(' ');
        const role = headingRole(heading);
        if (role) section = role;
        else if (STATEMENT.test(heading)) section = null;
        for (let k = i; k < j; k++) put(k, lineText(lines, k).trim());
        i = j - 1;
        continue;
      }
    } else if (!HAS_URL.test(t) && t.length <= 300 && ENDS_AS_QUESTION.test(t)) heading = t;
    else if (!HAS_URL.test(t) && t.length <= 100 && NUMBERED.test(t)) heading = t;
    else if (!HAS_URL.test(t) && t.length <= 600 && INSTRUCTION.test(t)) heading = t;

    if (heading) {
      const role = headingRole(heading);
      if (role) section = role;
      else if (STATEMENT.test(heading)) section = null;
    } else if (VALEDICTION.test(t)) {
      section = { role: 'reference', why: 'section: signature' };
    } else if (STATEMENT.test(t) && !HAS_URL.test(t)) {
      section = null; // the statements end whatever list came before them
    }
    put(i, heading);
  }
  return lines;
}

function lineIndexAt(lines: Lines, offset: number): number {
  let lo = 0;
  let hi = lines.count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines.start[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

// ---- local cues --------------------------------------------------------------------------------------------

const ORIG_CUE =
  /\boriginal\b|\bauthori[sz]ed (?:version|copy|content|product|site|store|seller|distribut)|legally published|proper owner|\bmy (?:own )?(?:company'?s )?(?:github )?(?:work|code|product|repo|repository|project|website|site|page|store|asset)s?\b|\bour (?:own |client'?s |company'?s )?(?:github )?(?:work|code|product|repo|repository|project|website|site|web site|page|store|homepage|asset)s?\b|\bmy copyright(?:ed)?\b|copyrighted (?:work|material|code)s? (?:is|are|can|located|found|available)|\bofficial (?:site|website|page|store|product)|\b(?:taken|copied|claimed|stolen|cloned|forked|downloaded|obtained|ripped|lifted)\b[^.\n]{0,60}\bfrom\b|\(\s*from\b|\bown (?:platform|site|website|store|shop)\b|\bsold (?:on|at|via)\b|available for purchase|can be (?:purchased|bought)|\bprivate repositor/gi;
const REF_CUE =
  /(?<!(?:our|my) )\bweb ?site:|\bweb:|\bhomepage:|\bsee (?:my|our|the) (?:github )?(?:comment|issue|commit)s?|as you can see|\bcontributors?\b|\bprofile\b|\bpublisher\b|\blicen[cs]e\b|\bterms\b|\bpolicy\b|\bpolicies\b|\bguide\b|more information|learn more|information about|\bproof\b|\bevidence\b|previous (?:notice|takedown|request)|earlier (?:notice|takedown)|\bdmca at\b|\bcontact\b|created by|authored by|submitted by me|the git user is me|\be-?mail\b|\bphone\b|\btel\b|already (?:reported|removed|taken down)|social media|\bplease see\b|\bsee also\b|\bfor reference\b/gi;
// Weak: a third-party page "available at" is the work; a page on the site "available at" is usually the copy.
const WEAK_ORIG_CUE =
  /\bavailable (?:at|on|from|here)\b|\bcan be (?:found|viewed|seen|downloaded|purchased)\b|\bfound here\b|\blocated at\b/gi;
const INF_CUE =
  /\binfring(?:ing|es|e)\b|taken? down|\bremov(?:e|al|ed)\b|\bdelet(?:e|ed|ion)\b|\bdisabl(?:e|ed)\b|\bpirat(?:ed|e|ing)\b|\bunauthori[sz]ed\b|\bfor example\b|\billegal(?:ly)?\b/gi;

/** The category of the cue nearest to the end of `window` (the text just before a URL). */
function nearestCue(window: string): Cue {
  let best: Cue = null;
  let bestEnd = -1;
  const scan = (re: RegExp, role: LinkRole, weak = false) => {
    re.lastIndex = 0;
    for (let m = re.exec(window); m; m = re.exec(window)) {
      const end = m.index + m[0].length;
      if (end >= bestEnd) {
        bestEnd = end;
        best = { role, why: `cue: "${m[0].toLowerCase()}"`, ...(weak ? { weak } : {}) };
      }
    }
  };
  // Later scans win ties: an "original" cue and a reference cue ending together ("our website:") read as original.
  scan(WEAK_ORIG_CUE, 'original', true);
  scan(INF_CUE, 'infringing');
  scan(REF_CUE, 'reference');
  scan(ORIG_CUE, 'original');
  return best;
}

const WORDS = /\p{L}{2,}/u;

function lastSentence(s: string): string {
  const parts = s.split(/(?<=[.!?])\s+(?=\S)/);
  return parts[parts.length - 1];
}

/** How far back (in lines) `introWindow` looks for the text introducing a list of URLs. */
const INTRO_LOOKBACK = 500;

/**
 * Per text, for each line: the nearest earlier line that is neither blank nor holds a URL (the only kind of line
 * `introWindow` stops at) and the nearest earlier blank line. Computed once, so a list of 10,000 URLs does not
 * walk back over its own earlier items for every one of them.
 */
interface IntroIndex {
  prevText: Int32Array;
  prevBlank: Int32Array;
}

function introIndex(lines: Lines): IntroIndex {
  const prevText = new Int32Array(lines.count);
  const prevBlank = new Int32Array(lines.count);
  let text = -1;
  let blank = -1;
  for (let i = 0; i < lines.count; i++) {
    prevText[i] = text;
    prevBlank[i] = blank;
    // Trimming changes nothing HAS_URL can match: neither a scheme nor "www." after a word boundary holds a space.
    if (isBlankLine(lines, i)) blank = i;
    else if (!HAS_URL.test(lineText(lines, i))) text = i;
  }
  return { prevText, prevBlank };
}

/** Text that introduces a URL which starts its line: the nearest earlier line that is not itself a list of URLs. */
function introWindow(lines: Lines, li: number, index: IntroIndex): string {
  // Earlier blank lines and earlier items of the same list (lines with a URL) are passed over.
  const i = index.prevText[li];
  if (i < 0 || i < li - INTRO_LOOKBACK) return '';
  const blank = index.prevBlank[li] > i;
  const raw = lineText(lines, i).trim();
  const heading = headingAt(lines, i);
  if (heading !== undefined && headingRole(heading) === null && !STATEMENT.test(heading)) {
    // An uncategorised heading-like line ("We have identified this repo here:") still introduces the list.
    return lastSentence(raw);
  }
  if (heading !== undefined) {
    // A heading line sets the section; only text after an inline heading ("**Q?** answer:") is a local cue.
    const rest = raw.slice(raw.indexOf(heading) + heading.length).replace(/^[*_\s]+/, '');
    return WORDS.test(rest) ? lastSentence(rest) : '';
  }
  const intro = /:\**$/.test(raw) || /\b(?:below|following|here|these|this link)\b/i.test(raw);
  if (intro || (!blank && !/[.!?]["')\]]*$/.test(raw))) return lastSentence(raw);
  return '';
}

interface Occ extends UrlOccurrence {
  cue: Cue;
  section: Cue;
}

function analyseText(text: string, siteDomains: string[]): Occ[] {
  const clean = cleanText(text);
  const lines = splitLines(clean);
  const occs = findUrls(clean, siteDomains);
  const out: Occ[] = [];
  let intro: IntroIndex | undefined;
  occs.forEach((o, k) => {
    const li = lineIndexAt(lines, o.start);
    const lineStart = lines.start[li];
    const heading = headingAt(lines, li);
    const prev = k > 0 && occs[k - 1].end > lineStart ? occs[k - 1] : undefined;
    const from = prev ? prev.end : lineStart;
    let window = clean.slice(from, o.start);
    if (heading && !prev) {
      const h = window.indexOf(heading);
      if (h >= 0) window = window.slice(h + heading.length);
    }
    let cue: Cue;
    if (prev && /^\W*(?:to|into|onto)\W*$/i.test(window)) cue = { role: 'infringing', why: 'cue: copied "to"' };
    else if (WORDS.test(window)) {
      cue = nearestCue(lastSentence(window.slice(-300)));
      // "X, and Y" in one sentence: Y shares X's cue; a new sentence starts afresh.
      if (!cue && prev && !/[.!?]\s/.test(window)) cue = out[k - 1].cue;
    } else if (prev) cue = out[k - 1].cue;
    else cue = nearestCue(introWindow(lines, li, (intro ??= introIndex(lines))).slice(-300));
    // "https://... (original)" / "(my work)" right after the URL.
    const after = clean.slice(o.end, Math.min(clean.length, o.end + 40));
    if (/^\s*\((?:the )?(?:original|my work|our work|official)\b/i.test(after))
      cue = { role: 'original', why: 'cue: (original)' };
    out.push({ raw: o.raw, start: o.start, end: o.end, cue, section: lines.sections[lines.sectionOf[li]] });
  });
  return out;
}

// ---- decision ----------------------------------------------------------------------------------------------

function stripScheme(u: string): string {
  return u.replace(/^https?:\/\//i, '').toLowerCase();
}

/** A reference prefix and the two starts `isKnownReference` compares a URL with, built once, not per URL. */
interface ReferencePrefix {
  exact: string;
  path: string;
  query: string;
}

function referencePrefix(p: string): ReferencePrefix {
  return { exact: p, path: p.endsWith('/') ? p : `${p}/`, query: `${p}?` };
}

const DEFAULT_REFERENCE_PREFIXES = DEFAULT_REFERENCE_URLS.map(referencePrefix);

/** The extra reference prefixes in the form `isKnownReference` compares them (prepared once per `sortLinks`). */
function prepareReferences(extra: string[] | undefined): ReferencePrefix[] {
  return (extra ?? []).map((p) => referencePrefix(stripScheme(p).replace(/\/$/, '')));
}

function isKnownReference(url: string, extra: readonly ReferencePrefix[]): boolean {
  const bare = stripScheme(url);
  const match = (p: ReferencePrefix) => bare === p.exact || bare.startsWith(p.path) || bare.startsWith(p.query);
  return DEFAULT_REFERENCE_PREFIXES.some(match) || extra.some(match);
}

function decideRole(
  link: ClassifiedLink,
  cue: Cue,
  section: Cue,
  referenceUrls: readonly ReferencePrefix[],
): { role: LinkRole; why: string } {
  if (link.classification !== 'invalid' && isKnownReference(link.url, referenceUrls)) {
    return { role: 'reference', why: 'known reference page' };
  }
  if (link.classification === 'internal' && /^https?:\/\/[^/]+\/$/.test(link.url)) {
    return { role: 'reference', why: "the site's home page" };
  }
  const ours = link.classification !== 'external_other';
  if (cue && !(cue.weak && ours)) return cue;
  if (section) {
    // The original-work answer of a form often quotes the infringing copies on the site itself.
    if (section.role === 'original' && ours) return { role: 'infringing', why: `${section.why} (on the site)` };
    return section;
  }
  return ours
    ? { role: 'infringing', why: 'default for links on the site, to disks or unparsable' }
    : { role: 'reference', why: 'default for third-party links without context' };
}

const RANK: Record<LinkRole, number> = { original: 3, infringing: 2, reference: 1 };

/**
 * Every link of a notice with its classification and role: the structured infringing URLs (role infringing,
 * invalid ones kept as written), the work URL (role original) and the URLs in the free text (role read from the
 * surrounding sentence and section). De-duplicated on the normalised URL; when roles disagree, original beats
 * infringing beats reference, so the complainant's own page is never taken down.
 */
export function sortLinks(input: SortLinksInput, opts: SortLinksOptions): SortedLink[] {
  const byKey = new Map<string, SortedLink>();
  /** `trimmed` is the URL as written, trimmed and non-empty; `norm` and `link` its normalised form and class. */
  const put = (trimmed: string, norm: NormalizedParts, link: ClassifiedLink, role: LinkRole, why: string) => {
    const key = norm.ok ? norm.url : `invalid:${trimmed}`;
    const seen = byKey.get(key);
    if (!seen) {
      // An explicit literal (same key order as before), not a spread: this runs once per URL, up to 10,000 times.
      const sorted: SortedLink =
        link.reason === undefined
          ? {
              url: link.url,
              classification: link.classification,
              provider: link.provider,
              role,
              raw: trimmed,
              roleReason: why,
            }
          : {
              url: link.url,
              classification: link.classification,
              provider: link.provider,
              reason: link.reason,
              role,
              raw: trimmed,
              roleReason: why,
            };
      byKey.set(key, sorted);
    } else if (RANK[role] > RANK[seen.role]) {
      seen.role = role;
      seen.roleReason = why;
    }
  };
  const add = (raw: string, role: LinkRole, why: string) => {
    const trimmed = raw.trim();
    if (!trimmed) return;
    const norm = normalizeUrlParts(trimmed);
    put(trimmed, norm, classifyNormalized(trimmed, norm, opts), role, why);
  };

  if (input.workUrl) add(input.workUrl, 'original', 'work URL field');
  for (const u of input.infringingUrls ?? []) add(u, 'infringing', 'infringing URL field');
  if (input.text) {
    const referenceUrls = prepareReferences(opts.referenceUrls);
    for (const o of analyseText(input.text, opts.siteDomains)) {
      const trimmed = o.raw.trim();
      if (!trimmed) continue;
      const norm = normalizeUrlParts(trimmed);
      const link = classifyNormalized(trimmed, norm, opts);
      const { role, why } = decideRole(link, o.cue, o.section, referenceUrls);
      put(trimmed, norm, link, role, why);
    }
  }
  return [...byKey.values()];
}
