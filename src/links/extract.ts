import { parse as parseDomain } from 'tldts';
import { isSiteHost } from './link-classifier';

/** One URL found in a text: `raw` as written (wrapped lines joined), offsets into `cleanText(text)`. */
export interface UrlOccurrence {
  raw: string;
  start: number;
  end: number;
}

const TO_CLEAN = /[\r\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]/;

/** NBSP, the Unicode spaces, zero-width space, ideographic space and BOM: read as a plain space. */
function exoticSpace(c: number): boolean {
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200b) ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

const CHUNK = 8192;

/**
 * CRLF/CR to LF and exotic spaces (NBSP, zero-width, ideographic, BOM) to plain spaces. One pass into a buffer of
 * character codes: a text of a million NBSPs is not a million regex replacements and their garbage.
 */
export function cleanText(text: string): string {
  if (!TO_CLEAN.test(text)) return text;
  const codes = new Uint16Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0d) {
      codes[n++] = 0x0a;
      if (text.charCodeAt(i + 1) === 0x0a) i++;
    } else codes[n++] = exoticSpace(c) ? 0x20 : c;
  }
  const parts: string[] = [];
  for (let at = 0; at < n; at += CHUNK) {
    parts.push(String.fromCharCode(...codes.subarray(at, Math.min(n, at + CHUNK))));
  }
  return parts.join('');
}

// A URL body stops at whitespace, <>"`, brackets, braces, pipes, backslashes and CJK / full-width punctuation.
const BODY = '[^\\s<>"`\\[\\]{}|\\\\^\\u3000-\\u303f\\uff00-\\uffef]';
const SCHEME_URL = `(?:https?|ftp)://(?:\\[[0-9a-f:.]+\\])?${BODY}*`;
// A scheme-less host: not inside a word, path, e-mail address or another host; TLD checked with tldts after.
const BARE_URL =
  `(?<![\\w.@/:%+\\-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,24}(?![\\w\\-])` +
  `(?::\\d{2,5})?(?:[/?#]${BODY}*)?`;
// Sticky: tried only where a URL can start (urlStarts), not at every position of the text.
const URL_AT = new RegExp(`${SCHEME_URL}|${BARE_URL}`, 'iy');
const BODY_AT_RE = new RegExp(`${BODY}+`, 'y');

const TRAILING = new Set([...'.,;:!?\'"*']);
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s[i] === ch) n++;
  return n;
}

/** Drops trailing sentence punctuation, keeping a closing bracket that balances one inside the URL. */
function trimTrailing(url: string): string {
  let u = url;
  while (u.length) {
    const c = u[u.length - 1];
    if (TRAILING.has(c) || c === '>') u = u.slice(0, -1);
    else if (CLOSERS[c] && count(u, CLOSERS[c]) < count(u, c)) u = u.slice(0, -1);
    else break;
  }
  return u;
}

// "https://x/contacts.tplcontains an absolute reference": a file name run into the next word for want of a space.
const RUN_ON =
  /(\.(?:html?|php|aspx?|jsp|pdf|zip|rar|7z|tar|gz|tpl|js|css|json|xml|txt|docx?|xlsx?|pptx?|png|jpe?g|gif|svg|ico|mp[34]|mkv|avi|exe|apk|dll|jar|java|cs|py|rb|cpp|h))(?:contains|containing|is|are|was|were|has|have|and|which|that)$/i;
function splitRunOnWord(url: string): string {
  return url.replace(RUN_ON, '$1');
}

function bodyAt(text: string, pos: number): string {
  BODY_AT_RE.lastIndex = pos;
  const m = BODY_AT_RE.exec(text);
  return m ? m[0] : '';
}

const bareHostOk = new Map<string, boolean>();
function isPlausibleBare(candidate: string, siteDomains: string[]): boolean {
  const host = /^[^/?#:]+/.exec(candidate)![0].toLowerCase();
  const hasPath = /^[^/?#]+[/?#]./.test(candidate);
  // Bare names need a www. or a path, to avoid "e.g. Node.js", "README.md", "Codeschool.com and ..."
  if (!hasPath && !host.startsWith('www.')) return false;
  // The site's own domains need no public suffix: "softhub.test/soft/1" is ours.
  if (siteDomains.length > 0 && isSiteHost(host, siteDomains)) return true;
  let ok = bareHostOk.get(host);
  if (ok === undefined) {
    const p = parseDomain(host, { extractHostname: false, allowPrivateDomains: false });
    ok = Boolean(p.isIcann && p.domain);
    if (bareHostOk.size > 10_000) bareHostOk.clear();
    bareHostOk.set(host, ok);
  }
  return ok;
}

// A Chinese notice runs text on after a link ("https://pan.baidu.com/s/1abc提取码：x1y2"): an ideograph straight after
// a letter, digit or closing mark ends the link. One after "/", "=", "." and the like is part of it (/wiki/中文, 例子.中国).
const RUN_ON_CJK =
  /(?<=[^\s/.=\-_#&?%~+:\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
function cutRunOnCjk(url: string): string {
  const m = RUN_ON_CJK.exec(url);
  return m ? url.slice(0, m.index) : url;
}

const MIN_WRAPPED_LINE = 60;
const MAX_JOINS = 4;

/**
 * Joins a URL that runs to the end of its line with a continuation on the next line: inside <...> until the
 * closing '>', otherwise only when the line is long (hard-wrapped) and the next line starts, unindented, with
 * something that can only be more path.
 */
function joinWrapped(text: string, start: number, end: number, url: string): { url: string; end: number } {
  const angle = text[start - 1] === '<';
  let joins = 0;
  while (joins < MAX_JOINS) {
    let eol = end;
    while (eol < text.length && (text[eol] === ' ' || text[eol] === '\t')) eol++;
    if (text[eol] !== '\n') break;
    const next = eol + 1;
    const token = bodyAt(text, next);
    if (!/[a-z0-9]/i.test(token) || /^(?:https?|ftp):\/\/|^www\./i.test(token)) break;
    if (!angle) {
      const lineStart = text.lastIndexOf('\n', start - 1) + 1;
      if (text.slice(lineStart, end).trim().length < MIN_WRAPPED_LINE) break;
      if (/[.,;:!?)]$/.test(url)) break;
      const continues = token.includes('/') || /^[-_./?&=#%~]/.test(token) || /[/\-_=?&]$/.test(url);
      if (!continues) break;
    }
    url += token;
    end = next + token.length;
    joins++;
    if (angle && text[end] === '>') break;
  }
  return { url, end };
}

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** A character BARE_URL's lookbehind refuses before a host: [\w.@/:%+-]. */
function joinsHost(c: number): boolean {
  return (
    isAlnum(c) ||
    c === 0x5f ||
    c === 0x2e ||
    c === 0x40 ||
    c === 0x2f ||
    c === 0x3a ||
    c === 0x25 ||
    c === 0x2b ||
    c === 0x2d
  );
}

/**
 * Every place URL_AT can match at, in text order: where a scheme ends in "://" ("https", "http" or "ftp" before
 * it), and where a bare host can start: a letter or digit that the lookbehind allows, whose run of letters, digits
 * and hyphens (its first label, the only characters the label may hold) is followed by a dot and a letter or digit
 * (the next label or the top-level domain). Trying the pattern
 * at these places in turn finds the leftmost match, as a global scan does, at a few places instead of every one.
 */
function urlStarts(text: string): number[] {
  const starts: number[] = [];
  for (let at = text.indexOf('://'); at >= 0; at = text.indexOf('://', at + 3)) {
    for (let back = 5; back >= 3; back--) if (at - back >= 0) starts.push(at - back);
  }
  const schemes = starts.length;
  for (let i = 0; i < text.length; i++) {
    if (!isAlnum(text.charCodeAt(i))) continue;
    let end = i + 1;
    while (end < text.length && (isAlnum(text.charCodeAt(end)) || text.charCodeAt(end) === 0x2d)) end++;
    // Inside the run, the character before is a letter, digit or hyphen: the lookbehind refuses those places.
    const dotted = text.charCodeAt(end) === 0x2e && isAlnum(text.charCodeAt(end + 1));
    if (dotted && (i === 0 || !joinsHost(text.charCodeAt(i - 1)))) starts.push(i);
    i = end - 1;
  }
  if (schemes > 0 && starts.length > schemes) starts.sort((a, b) => a - b);
  return starts;
}

/**
 * All URL occurrences in `clean` (already passed through `cleanText`), in order, repeats included. A bare host (no
 * scheme) needs a public suffix unless it is one of `siteDomains` or under one.
 */
export function findUrls(clean: string, siteDomains: string[] = []): UrlOccurrence[] {
  const out: UrlOccurrence[] = [];
  const starts = urlStarts(clean);
  let next = 0; // the first of `starts` not yet tried
  let from = 0; // where the next match is looked for, as a global pattern's lastIndex
  for (;;) {
    let m: RegExpExecArray | null = null;
    while (next < starts.length && !m) {
      const at = starts[next++];
      if (at < from || (next > 1 && at === starts[next - 2])) continue;
      URL_AT.lastIndex = at;
      m = URL_AT.exec(clean);
    }
    if (!m) break;
    const start = m.index;
    let end = start + m[0].length;
    from = end;
    // GitHub's redactions: "https://github.com/[private]/x" is not a URL anyone can act on.
    if (clean[end] === '[') continue;
    const scheme = /^[a-z]+:\/\//i.test(m[0]);
    if (!scheme && !isPlausibleBare(m[0], siteDomains)) continue;
    let url = cutRunOnCjk(m[0]);
    if (url.length < m[0].length) end = start + url.length;
    else ({ url, end } = joinWrapped(clean, start, end, url));
    if (clean[end] === '[') continue;
    // After a cut, scanning resumes at the cut: the text run on may hold the next link.
    from = url.length < m[0].length ? end : Math.max(from, end);
    const trimmed = splitRunOnWord(trimTrailing(url));
    if (scheme && !/^[a-z]+:\/\/[^/?#]/i.test(trimmed)) continue;
    out.push({ raw: trimmed, start, end: end - (url.length - trimmed.length) });
  }
  return out;
}

/**
 * URLs in free text as written: with or without scheme (a bare one on a public suffix or one of `siteDomains`), in
 * <...>, Markdown links, quotes; lines of a hard-wrapped URL joined; trailing punctuation trimmed (a balanced ')' kept). Unique, in order of first appearance.
 */
export function extractUrls(text: string, siteDomains: string[] = []): string[] {
  const seen = new Set<string>();
  for (const o of findUrls(cleanText(text), siteDomains)) seen.add(o.raw);
  return [...seen];
}
