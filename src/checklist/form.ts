import { Line, NoticeText, Span, lineIndexAt } from './text';

const MAX_ANSWER_LINES = 12;
const QUESTION_HEAD =
  /(?:^|[.!?:]\s|\n)[ \t]*(?:\d{1,2}[.)]\s*)?(?:do|does|did|are|is|have|has|can|will|would|could)\s+(?:you|the\s+sender|sender)\b[^.!?\n]{0,400}$/i;
/**
 * Wording that introduces a statement the sender is asked to make rather than one they make. It counts only when
 * at most one line break, and at most INSTRUCTION_REACH characters on each line, separate it from the statement.
 */
const INSTRUCTION =
  /please\s+(?:include|add|insert|state|copy|paste|write|use|type)|(?:must|should)\s+(?:include|contain|state|read|say)|include\s+(?:the\s+)?following|following\s+(?:statement|sentence|text|language|wording)|(?:copy\s+and\s+paste|type)\b[^.\n]{0,40}statement|such\s+as|for\s+example|e\.g\.|template|sample\s+(?:notice|statement)|(?:notice|notification)s?\s+(?:must|should)|required\s+statement/gi;
const INSTRUCTION_REACH = 400;
/** Longer than any INSTRUCTION match in real text (its longest alternative is about 65 characters). */
const INSTRUCTION_MAX = 120;
/** How far back before a statement a form's question or an instruction is looked for. */
const HEAD_CHARS = 400;
const AFFIRMATIVE =
  /^\W{0,4}(?:yes|y|true|correct|i\s+do|i\s+agree|agreed|i\s+confirm|confirm(?:ed)?|affirm(?:ed)?|x|✓|✔|checked|i\s+(?:swear|have|am|certify|state))\b/i;

/**
 * Whether line `index` of the text is a form prompt: new-style forms print prompts bold; older ones end them with
 * "?" or ":". Remembered for the line: the rules ask it of the same line many times. A part of a line read as a
 * line of its own (index -1, the answer typed after a bold prompt) is no prompt.
 */
export function isPromptLine(doc: NoticeText, index: number): boolean {
  return index >= 0 && doc.lines.prompt(index, promptLine);
}

function promptLine(text: string, bold: boolean): boolean {
  const t = text.trim();
  if (t === '') return false;
  if (bold) return true;
  if (/\?\s*$/.test(t) && t.length > 15) return true;
  return /^(?:\d{1,2}[.)]\s*)?(?:please\s+)?(?:type|provide|identify|describe|so\s+that\s+we)\b.{0,300}[:.]\s*$/i.test(
    t,
  );
}

/** The lines under a prompt, up to the next prompt. */
export function answerLines(doc: NoticeText, promptIndex: number): Line[] {
  const out: Line[] = [];
  const { lines } = doc;
  for (let i = promptIndex + 1; i < lines.length && out.length < MAX_ANSWER_LINES; i++) {
    if (isPromptLine(doc, i)) break;
    if (!lines.blank(i)) out.push(lines.at(i));
  }
  return out;
}

export function answerSpan(lines: Line[]): Span | undefined {
  if (lines.length === 0) return undefined;
  return { start: lines[0].start, end: lines[lines.length - 1].end };
}

/** An answer that actually says something: not empty, not "no", "n/a" or "[no]". */
export function isSubstantiveAnswer(lines: Line[]): boolean {
  const t = lines
    .map((l) => l.text)
    .join(' ')
    .trim();
  return t !== '' && !/^\W{0,3}(?:no|n\/?a|none|-+)\W{0,3}$/i.test(t);
}

/**
 * The answer typed on a bold prompt's own line, after its closing "**" or "__" ("**Are you the copyright owner?**
 * Yes, I am."), as a line of its own; undefined when the prompt line holds only the prompt.
 */
export function inlineAnswer(doc: NoticeText, line: Line): Line | undefined {
  if (!line.bold || line.blank) return undefined;
  const rawStart = doc.map[line.start];
  const rawEnd = doc.map[line.end - 1] + 1;
  const close = /\*\*|__/.exec(doc.raw.slice(rawStart, rawEnd));
  if (!close) return undefined;
  const after = rawStart + close.index + close[0].length;
  // The first normalised character at or after the raw offset `after` (map is increasing).
  let lo = line.start;
  let hi = line.end;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (doc.map[mid] < after) lo = mid + 1;
    else hi = mid;
  }
  const text = doc.text.slice(lo, line.end);
  if (text.trim().length < 2) return undefined;
  return { index: -1, text, start: lo, end: line.end, bold: false, blank: false };
}

/** Whether `offset` lies on a prompt line and not in an answer typed after the prompt on that line. */
export function onPromptAt(doc: NoticeText, offset: number): boolean {
  const index = lineIndexAt(doc, offset);
  if (!isPromptLine(doc, index)) return false;
  const inline = inlineAnswer(doc, doc.lines.at(index));
  return !(inline && offset >= inline.start);
}

/** Prompts matching `re`, each with the non-empty answer under it (or after it on its line). */
export function answeredPrompts(doc: NoticeText, re: RegExp): { prompt: Line; answer: Line[] }[] {
  const found: { prompt: Line; answer: Line[] }[] = [];
  for (let index = 0; index < doc.lines.length; index++) {
    if (!isPromptLine(doc, index) || !re.test(doc.lines.text(index))) continue;
    const line = doc.lines.at(index);
    const inline = inlineAnswer(doc, line);
    const answer = inline ? [inline, ...answerLines(doc, index)] : answerLines(doc, index);
    if (isSubstantiveAnswer(answer)) found.push({ prompt: line, answer });
  }
  return found;
}

/**
 * Whether a statement found at `span` is the sender's own: not a form's question quoting it (unless answered
 * yes) and not an instruction that quotes it ("Please include the following statement: ..."). Reads a bounded
 * window around the statement, so that it costs the same however long the paragraph or the line before it is.
 */
export function isSendersStatement(doc: NoticeText, span: Span): boolean {
  const lineIndex = lineIndexAt(doc, span.start);
  // Typed after a bold prompt on the prompt's own line ('**Type the following statement: "..."** "I have ..."'):
  // the answer is the sender's, whatever the prompt quotes, so only the answer before the statement is read.
  const inline = inlineAnswer(doc, doc.lines.at(lineIndex));
  const answered = inline !== undefined && span.start >= inline.start;
  const paragraphLine = paragraphStartLine(doc, lineIndex);
  const paragraphStart = answered ? inline.start : doc.lines.start(paragraphLine);
  const head = doc.text.slice(Math.max(paragraphStart, span.start - HEAD_CHARS), span.start);
  const previous = answered ? undefined : previousNonBlank(doc, paragraphLine - 1);
  if (instructionQuotes(doc, head, previous && endsWithColon(previous.text) ? previous : undefined)) return false;

  const tail = doc.text.slice(span.end, Math.min(doc.text.length, span.end + 600));
  const stop = /[.!?](?=\s|$)|\n\s*\n/.exec(tail);
  const endsWithQuestion = stop !== null && stop[0] === '?';
  if (!endsWithQuestion && !QUESTION_HEAD.test(head)) return true;

  const questionEnd = stop ? span.end + stop.index : span.end;
  const answer = answerLines(doc, lineIndexAt(doc, questionEnd));
  return answer.length > 0 && AFFIRMATIVE.test(answer[0].text);
}

/**
 * Whether an instruction in the text before a statement quotes it: `head` is the statement's paragraph up to it,
 * `previous` the line before the paragraph when it ends in ":" ("Include the following statement:\n\n...").
 * Only the last INSTRUCTION_REACH characters of each line can hold the instruction, so only those are searched;
 * the quotes on the instruction's line are counted over the whole line.
 */
function instructionQuotes(doc: NoticeText, head: string, previous: Line | undefined): boolean {
  const reach = INSTRUCTION_REACH + INSTRUCTION_MAX + 1;
  const before = previous ? previous.text.slice(-reach) : undefined;
  const lead = before !== undefined ? `${before}\n${head}` : head;
  const at = instructionIndex(lead);
  if (at < 0) return false;
  const lineStart = lead.lastIndexOf('\n', at) + 1;
  if (previous && before !== undefined && at < before.length) {
    return quotedByInstruction(
      doc.lines.quotes(previous.index, quoteCount) + quoteCount(lead.slice(before.length + 1)),
    );
  }
  return quotedByInstruction(quoteCount(lead.slice(lineStart)));
}

/** The first instruction in `lead` followed by at most one line break and INSTRUCTION_REACH characters a line. */
function instructionIndex(lead: string): number {
  const lastBreak = lead.lastIndexOf('\n');
  const breakBefore = lastBreak > 0 ? lead.lastIndexOf('\n', lastBreak - 1) : -1;
  const fits = (end: number): boolean =>
    end > lastBreak
      ? lead.length - end <= INSTRUCTION_REACH
      : end > breakBefore && lastBreak - end <= INSTRUCTION_REACH && lead.length - lastBreak - 1 <= INSTRUCTION_REACH;
  const lastLineFits = lastBreak >= 0 && lead.length - lastBreak - 1 <= INSTRUCTION_REACH;
  const firstEnd = lastLineFits
    ? Math.max(breakBefore + 1, lastBreak - INSTRUCTION_REACH)
    : lead.length - INSTRUCTION_REACH;
  INSTRUCTION.lastIndex = Math.max(0, firstEnd - INSTRUCTION_MAX);
  for (let m = INSTRUCTION.exec(lead); m; m = INSTRUCTION.exec(lead)) {
    if (fits(m.index + m[0].length)) return m.index;
    INSTRUCTION.lastIndex = m.index + 1;
  }
  return -1;
}

function endsWithColon(text: string): boolean {
  let i = text.length - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  return text[i] === ':';
}

/**
 * The first line of the paragraph holding line `lineIndex`: the paragraph runs back to a blank line or a form's
 * prompt. Computed for the whole text once, so that many statements in one long paragraph do not each walk it.
 */
function paragraphStartLine(doc: NoticeText, lineIndex: number): number {
  let starts = paragraphStarts.get(doc);
  if (!starts) {
    starts = new Int32Array(doc.lines.length);
    for (let i = 1; i < doc.lines.length; i++)
      starts[i] = doc.lines.blank(i - 1) || isPromptLine(doc, i - 1) ? i : starts[i - 1];
    paragraphStarts.set(doc, starts);
  }
  return starts[lineIndex];
}
const paragraphStarts = new WeakMap<NoticeText, Int32Array>();

function previousNonBlank(doc: NoticeText, from: number): Line | undefined {
  for (let i = from; i >= 0 && i > from - 3; i--) if (!doc.lines.blank(i)) return doc.lines.at(i);
  return undefined;
}

const QUOTE = /"|(?<![A-Za-z])'|'(?![A-Za-z])/g;

function quoteCount(text: string): number {
  return text.match(QUOTE)?.length ?? 0;
}

/**
 * On the instruction's line, the statement is the instruction's own wording when it opens a quote ('... statement:
 * "I have ...') or follows it bare; when the quotes are balanced the sender quoted the instruction and then
 * made the statement themselves ('Also "include the following statement:" I swear ...').
 */
function quotedByInstruction(quotes: number): boolean {
  return quotes === 0 || quotes % 2 === 1;
}
