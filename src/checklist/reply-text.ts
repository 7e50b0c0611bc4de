import { allSpace, isSpace } from './text';

/**
 * A reply's own words: quoted lines (">") and what follows an "Original Message" separator are dropped, so that our
 * letter quoted back (which spells out each statement the law needs) is not read as the sender making them.
 */
export function replyText(text: string): string {
  // Kept lines as [start, end) ranges of `text` (CR before LF left out), in typed arrays sized by the line count,
  // joined at the end from runs of adjacent lines: a long text is cut a few times, not into a string per line, and
  // a million short lines make no million-entry JS arrays.
  let lineCount = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lineCount++;
  const starts = new Int32Array(lineCount);
  const ends = new Int32Array(lineCount);
  let kept = 0;
  for (let at = 0; at <= text.length;) {
    let next = text.indexOf('\n', at);
    if (next < 0) next = text.length;
    const end = next < text.length && next > at && text.charCodeAt(next - 1) === 0x0d ? next - 1 : next;
    if (next > at && mayOpenWithMarker(text.charCodeAt(at))) {
      ORIGINAL_MESSAGE.lastIndex = at;
      if (ORIGINAL_MESSAGE.test(text)) break;
      QUOTED.lastIndex = at;
      if (QUOTED.test(text)) {
        at = next + 1;
        continue;
      }
    }
    starts[kept] = at;
    ends[kept] = end;
    kept++;
    at = next + 1;
  }
  // The attribution line ("On Tue, 1 Dec 2026, Desk <dmca@…> wrote:") of the quote just removed.
  let count = kept;
  while (
    count > 0 &&
    (allSpace(text, starts[count - 1], ends[count - 1]) || endsWithWrote(text, starts[count - 1], ends[count - 1]))
  )
    count--;
  const parts: string[] = [];
  for (let i = 0; i < count;) {
    let j = i;
    while (j + 1 < count && starts[j + 1] === ends[j] + 1) j++;
    const run = text.slice(starts[i], ends[j]);
    parts.push(run.includes('\r\n') ? run.replace(/\r\n/g, '\n') : run);
    i = j + 1;
  }
  return parts.join('\n');
}
// Both read one line from `lastIndex` (`[^\S\n]` is a space that is not a line break).
const ORIGINAL_MESSAGE = /[^\S\n]*-{2,}[^\S\n]*Original Message[^\S\n]*-{2,}[^\S\n]*(?=\n|$)/iy;
const QUOTED = /[^\S\n]*>/y;

/**
 * Whether a line whose first character is `c` can be a separator or a quoted line: both open with spaces, then "-"
 * or ">". An empty line, or one opening with any other character, is neither, and is not handed to the patterns.
 */
function mayOpenWithMarker(c: number): boolean {
  return c === 0x2d /* - */ || c === 0x3e /* > */ || isSpace(c);
}

/** Whether text[start, end) ends in "wrote:" and spaces, "wrote" a word of its own: `/\bwrote:\s*$/` on the line. */
function endsWithWrote(text: string, start: number, end: number): boolean {
  let last = end;
  while (last > start && isSpace(text.charCodeAt(last - 1))) last--;
  const at = last - 'wrote:'.length;
  if (at < start || !text.startsWith('wrote:', at)) return false;
  return at === start || !/\w/.test(text[at - 1]);
}
