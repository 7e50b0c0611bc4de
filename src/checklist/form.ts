import { Line, NoticeText, Span, lineIndexAt } from './text';

const MAX_ANSWER_LINES = 12;
const QUESTION_HEAD =
  /(?:^|[.!?:]\s|\n)\s*(?:\d{1,2}[.)]\s*)?(?:do|does|did|are|is|have|has|can|will|would|could)\s+(?:you|the\s+sender|sender)\b[^.!?\n]{0,400}$/i;
const INSTRUCTION_HEAD =
  /(?:please\s+(?:include|add|insert|state|copy|paste|write|use|type)|(?:must|should)\s+(?:include|contain|state|read|say)|include\s+(?:the\s+)?following|following\s+(?:statement|sentence|text|language|wording)|(?:copy\s+and\s+paste|type)\b[^.\n]{0,40}statement|such\s+as|for\s+example|e\.g\.|template|sample\s+(?:notice|statement)|(?:notice|notification)s?\s+(?:must|should)|required\s+statement)(?:[^\n]{0,400}\n)?[^\n]{0,400}$/i;
const AFFIRMATIVE =
  /^\W{0,4}(?:yes|y|true|correct|i\s+do|i\s+agree|agreed|i\s+confirm|confirm(?:ed)?|affirm(?:ed)?|x|✓|✔|checked|i\s+(?:swear|have|am|certify|state))\b/i;

/** A form prompt: new-style forms print prompts bold; older ones end them with "?" or ":". */
export function isPromptLine(line: Line): boolean {
  const t = line.text.trim();
  if (t === '') return false;
  if (line.bold) return true;
  if (/\?\s*$/.test(t) && t.length > 15) return true;
  return /^(?:\d{1,2}[.)]\s*)?(?:please\s+)?(?:type|provide|identify|describe|so\s+that\s+we)\b.{0,300}[:.]\s*$/i.test(
    t,
  );
}

/** The lines under a prompt, up to the next prompt. */
export function answerLines(doc: NoticeText, promptIndex: number): Line[] {
  const out: Line[] = [];
  for (let i = promptIndex + 1; i < doc.lines.length && out.length < MAX_ANSWER_LINES; i++) {
    const line = doc.lines[i];
    if (isPromptLine(line)) break;
    if (!line.blank) out.push(line);
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

/** Prompts matching `re`, each with the non-empty answer under it. */
export function answeredPrompts(doc: NoticeText, re: RegExp): { prompt: Line; answer: Line[] }[] {
  const found: { prompt: Line; answer: Line[] }[] = [];
  doc.lines.forEach((line, index) => {
    if (!isPromptLine(line) || !re.test(line.text)) return;
    const answer = answerLines(doc, index);
    if (isSubstantiveAnswer(answer)) found.push({ prompt: line, answer });
  });
  return found;
}

/**
 * Whether a statement found at `span` is the sender's own: not a form's question quoting it (unless answered
 * yes) and not an instruction that quotes it ("Please include the following statement: ...").
 */
export function isSendersStatement(doc: NoticeText, span: Span): boolean {
  const lineIndex = lineIndexAt(doc, span.start);
  const paragraphStart = paragraphStartOf(doc, lineIndex);
  const head = doc.text.slice(Math.max(paragraphStart, span.start - 400), span.start);
  const previous = previousNonBlank(doc, paragraphStart > 0 ? lineIndexAt(doc, paragraphStart) - 1 : -1);
  const lead = previous && /:\s*$/.test(previous.text) ? `${previous.text}\n${head}` : head;
  const instruction = INSTRUCTION_HEAD.exec(lead);
  if (instruction && quotedByInstruction(lead.slice(lead.lastIndexOf('\n', instruction.index) + 1))) return false;

  const tail = doc.text.slice(span.end, Math.min(doc.text.length, span.end + 600));
  const stop = /[.!?](?=\s|$)|\n\s*\n/.exec(tail);
  const endsWithQuestion = stop !== null && stop[0] === '?';
  if (!endsWithQuestion && !QUESTION_HEAD.test(head)) return true;

  const questionEnd = stop ? span.end + stop.index : span.end;
  const answer = answerLines(doc, lineIndexAt(doc, questionEnd));
  return answer.length > 0 && AFFIRMATIVE.test(answer[0].text);
}

function paragraphStartOf(doc: NoticeText, lineIndex: number): number {
  let i = lineIndex;
  while (i > 0 && !doc.lines[i - 1].blank && !isPromptLine(doc.lines[i - 1])) i--;
  return doc.lines[i].start;
}

function previousNonBlank(doc: NoticeText, from: number): Line | undefined {
  for (let i = from; i >= 0 && i > from - 3; i--) if (!doc.lines[i].blank) return doc.lines[i];
  return undefined;
}

/**
 * On the instruction's line, the statement is the instruction's own wording when it opens a quote ('... statement:
 * "I have ...') or follows it bare; when the quotes are balanced the sender quoted the instruction and then
 * made the statement themselves ('Also "include the following statement:" I swear ...').
 */
function quotedByInstruction(instructionLine: string): boolean {
  const quotes = instructionLine.match(/"|(?<![A-Za-z])'|'(?![A-Za-z])/g)?.length ?? 0;
  return quotes === 0 || quotes % 2 === 1;
}
