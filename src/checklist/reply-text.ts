/**
 * A reply's own words: quoted lines (">") and what follows an "Original Message" separator are dropped, so that our
 * letter quoted back (which spells out each statement the law needs) is not read as the sender making them.
 */
export function replyText(text: string): string {
  // Kept lines as [start, end) ranges of `text` (CR before LF left out), joined at the end from runs of adjacent
  // lines: a long text is cut a few times, not into a string per line.
  const starts: number[] = [];
  const ends: number[] = [];
  for (let at = 0; at <= text.length;) {
    let next = text.indexOf('\n', at);
    if (next < 0) next = text.length;
    const end = next < text.length && next > at && text.charCodeAt(next - 1) === 0x0d ? next - 1 : next;
    ORIGINAL_MESSAGE.lastIndex = at;
    if (ORIGINAL_MESSAGE.test(text)) break;
    QUOTED.lastIndex = at;
    if (!QUOTED.test(text)) {
      starts.push(at);
      ends.push(end);
    }
    at = next + 1;
  }
  // The attribution line ("On Tue, 1 Dec 2026, Desk <dmca@…> wrote:") of the quote just removed.
  let count = starts.length;
  while (count > 0) {
    const line = text.slice(starts[count - 1], ends[count - 1]);
    if (line.trim() !== '' && !/\bwrote:\s*$/.test(line)) break;
    count--;
  }
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
