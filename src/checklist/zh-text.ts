import { Line, NoticeText, Span, lineIndexAt } from './text';

const HAN = /[\u3400-\u4dbf\u4e00-\u9fff]/g;
const HAN_ANY = /[\u3400-\u4dbf\u4e00-\u9fff]/;
const LATIN_LETTER = /[A-Za-z]/g;
// Bounded, and an address starts only where a word does not run on into it: a megabyte on one line stays linear.
const URL_OR_EMAIL = /\bhttps?:\/\/\S+|(?<![\w.%+-])[\w.%+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}/gi;
/**
 * A Han character carries about as much as three Latin letters, so a bilingual notice (each statement in both
 * languages) scores near 0.5 and an English notice quoting a Chinese title near 0.
 */
const LETTERS_PER_HAN = 3;
export const ZH_SHARE_MIN = 0.3;

/** Share of the notice's wording that is Chinese, URLs and email addresses left out. */
export function chineseShare(text: string): number {
  // Leaving the URLs out only ever removes Han characters: a text with none is not read further.
  if (!HAN_ANY.test(text)) return 0;
  const words = text.replace(URL_OR_EMAIL, ' ');
  const han = words.match(HAN)?.length ?? 0;
  if (han === 0) return 0;
  const latin = words.match(LATIN_LETTER)?.length ?? 0;
  return han / (han + latin / LETTERS_PER_HAN);
}

/** Whether the Chinese detectors read this notice: mostly Chinese, or bilingual. */
export function readsChinese(doc: NoticeText): boolean {
  let share = shares.get(doc);
  if (share === undefined) shares.set(doc, (share = chineseShare(doc.text)));
  return share >= ZH_SHARE_MIN;
}
const shares = new WeakMap<NoticeText, number>();

/** The sender, in the ways Chinese notices name themselves. Longer forms first. */
export const SUBJECT =
  '(?:本人|我们公司|我们工作室|我们团队|我们|我方|我司|我公司|本公司|本单位|我单位|本律师事务所|本律所|本所|我所|本工作室|本团队|本中心|本律师|我)';

/**
 * Sentences: text up to 。！？； (or ASCII ! ? ; before a space), a line break, or a blank line. A line ending in a
 * comma runs on into the next line, as a wrapped sentence does.
 */
export function sentences(doc: NoticeText): Span[] {
  const memo = sentenceMemo.get(doc);
  if (memo) return memo;
  const out: Span[] = [];
  let open = -1;
  const close = (end: number): void => {
    if (open >= 0 && doc.text.slice(open, end).trim() !== '') out.push(trim(doc, { start: open, end }));
    open = -1;
  };
  const { lines } = doc;
  for (let i = 0; i < lines.length; i++) {
    const start = lines.start(i);
    if (lines.blank(i)) {
      close(start);
      continue;
    }
    if (open < 0) open = start;
    const text = lines.text(i);
    const stops = /[。！？；]|[!?;](?=\s|$)|(?<=[\u4e00-\u9fff])\.(?=\s|$)/g;
    for (const m of text.matchAll(stops)) {
      close(start + m.index + 1);
      open = start + m.index + 1;
    }
    if (!/[，,、]\s*$/.test(text)) close(lines.end(i));
  }
  close(doc.text.length);
  const kept = out.filter((s) => s.end > s.start);
  sentenceMemo.set(doc, kept);
  return kept;
}
const sentenceMemo = new WeakMap<NoticeText, Span[]>();

function trim(doc: NoticeText, span: Span): Span {
  let { start, end } = span;
  while (start < end && /\s/.test(doc.text[start])) start++;
  while (end > start && /\s/.test(doc.text[end - 1])) end--;
  return { start, end };
}

export const textOf = (doc: NoticeText, span: Span): string => doc.text.slice(span.start, span.end);

/** Sentences whose text satisfies `test`. */
export function sentencesWhere(doc: NoticeText, test: (text: string) => boolean): Span[] {
  return sentences(doc).filter((s) => test(textOf(doc, s)));
}

const TICKED = /^\s*(?:☑|☒|✅|■|√|✓|✔|\[\s*[xX√✓✔]\s*\]|【\s*[xX√✓✔]\s*】|[（(]\s*[xX√✓✔]\s*[）)])/;
const UNTICKED = /^\s*(?:□|☐|○|◯|\[\s*\]|【\s*】|[（(]\s*[）)])/;
/**
 * Words that introduce wording the sender is asked to copy, or that quote the Regulations' own wording
 * ("通知书应当包含下列内容"), rather than a statement the sender makes.
 */
const QUOTING =
  /请(?:您)?(?:在(?:通知|通知书|投诉|函件|邮件)中)?(?:包含|附上|加入|写入|复制|粘贴|抄写|按照|参照|使用|阅读)|应当|应该|必须|务必|须(?:包含|载明|写明|声明|作出)|需(?:要)?(?:包含|载明|写明|声明|作出)|(?:下列|以下)(?:内容|文字|事项|格式)|(?:以下|如下|下列)(?:的)?(?:声明|语句|句子)(?!\s*:?\s*$)|(?:格式|内容|模板|范本|文本|样式)如下|例如|比如|示例|范例|样例|模板|范本|参考(?:文本|格式|样式)/;
/** A form asking the sender to confirm the statement: it counts only when answered or ticked. */
const CONFIRM = /请(?:您)?(?:确认|勾选|选择|核实|回答)|是否/;
/** A rule's subject: the Regulations and platform guides speak of the rights holder in the third person. */
const RULE_SUBJECT =
  /(?:权利人|著作权人|服务对象|通知书|通知人|投诉人|申请人|用户|说明|反通知)\s*(?:应当|应该|应|须|必须|需要|需)(?!用)/;
const QUESTION_AFTER = /^\s*[（(]?\s*(?:请(?:回答|选择|勾选|确认|填写)|是\s*[/／]\s*否|是否|[？?])/;
const AFFIRMATIVE =
  /^\s*(?:答\s*:\s*)?(?:是的|是|确认|同意|属实|本人确认|我确认|我同意|本公司确认|我方确认|对|yes|y|true|☑|☒|✅|√|✓|✔|■|\[\s*[xX√✓✔]\s*\])/i;
/** A template's instruction inside the sentence, before the statement it asks for ("请声明：本人保证..."). */
const INSTRUCTION_IN_STATEMENT = /^[^:]{0,30}(?:请(?:您)?(?:声明|填写|写明)|例如|示例|范例|模板|格式|样例)[^:]{0,10}:/;

/**
 * Whether a sentence is the sender's own statement: not an unticked box, not a template's or the Regulations'
 * wording quoted under an instruction, and not a question or confirmation left unanswered. A ticked box is the
 * sender's.
 */
export function isSendersZh(doc: NoticeText, sentence: Span): boolean {
  const index = lineIndexAt(doc, sentence.start);
  const lineEnd = doc.lines.end(index);
  const lead = doc.text.slice(doc.lines.start(index), sentence.start);
  const own = textOf(doc, sentence);
  if (TICKED.test(lead + own)) return true;
  if (UNTICKED.test(lead + own)) return false;
  if (RULE_SUBJECT.test(own) || INSTRUCTION_IN_STATEMENT.test(own)) return false;
  const previous = lead.trim() === '' ? previousNonBlank(doc, index - 1) : undefined;
  const head = (previous && /:\s*$/.test(previous.text) ? previous.text + '\n' : '') + lead.slice(-200);
  if (QUOTING.test(head)) return false;
  const after = doc.text.slice(sentence.end, lineEnd);
  const question = /[？?]\s*$/.test(own) || CONFIRM.test(head) || /是否/.test(own) || QUESTION_AFTER.test(after);
  if (!question) return true;
  // What follows the question on its line ("是否确认？确认"), not the question's own words.
  const questionEnd = Math.max(...['？', '?', '）', ')'].map((c) => after.lastIndexOf(c)));
  const sameLine = questionEnd >= 0 ? after.slice(questionEnd + 1).replace(/^[^:]*:/, '') : '';
  if (sameLine.trim() !== '' && AFFIRMATIVE.test(sameLine)) return true;
  const next = nextNonBlank(doc, index + 1);
  return next !== undefined && AFFIRMATIVE.test(next.text);
}

export function previousNonBlank(doc: NoticeText, from: number): Line | undefined {
  for (let i = from; i >= 0 && i > from - 3; i--) if (!doc.lines.blank(i)) return doc.lines.at(i);
  return undefined;
}

export function nextNonBlank(doc: NoticeText, from: number, within = 3): Line | undefined {
  for (let i = from; i < doc.lines.length && i < from + within; i++) if (!doc.lines.blank(i)) return doc.lines.at(i);
  return undefined;
}

/** Sentences that are the sender's statements and satisfy `test`. */
export function zhStatements(doc: NoticeText, test: (text: string) => boolean): Span[] {
  return sentencesWhere(doc, test).filter((s) => isSendersZh(doc, s));
}

const PLACEHOLDER = [
  /^[\s_＿\-—–.…·。]*$/,
  /^[（(【[<《]?\s*(?:请|填写|此处|待|在此)[^）)】\]>》\n]{0,30}[）)】\]>》]?[\s_＿]*$/,
  /^(?:无|暂无|略|空|不详|n\/?a|none|-+)\W*$/i,
  /^[xX×＊*○〇]{2,}/,
  /^某某/,
];
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  return PLACEHOLDER.some((re) => re.test(v));
}

/** A line that is itself a label ("电话:", "【作品名称】"), so not the value of the label above it. */
const LABEL_LINE = /^\s*(?:【[^】\n]{1,20}】|[^:\n]{1,16}:)/;

export interface Labelled {
  /** From the label to the end of its value. */
  span: Span;
  /** The value alone. */
  value: string;
}

/**
 * Each "label: value" (or "【label】value") whose label matches `label` and whose value is filled in: on the
 * label's line, or the lines under a bare label (up to `valueLines` of them, until the next label or blank line).
 * The label must start a word (no Han character before it) unless `anywhere` ("公司地址:" as well as "地址:").
 */
export function labelled(
  doc: NoticeText,
  label: string,
  { valueLines = 1, anywhere = false }: { valueLines?: number; anywhere?: boolean } = {},
): Labelled[] {
  const re = new RegExp(
    `(?:【[ \\t]*(?:${label})[ \\t]*】[ \\t]*:?|${anywhere ? '' : '(?<![\\u4e00-\\u9fff])'}(?:${label})[ \\t]*(?:[（(][^）)\\n]{0,14}[）)])?[ \\t]*(?:如下)?[ \\t]*:)[ \\t]*`,
    'g',
  );
  const out: Labelled[] = [];
  for (const m of doc.text.matchAll(re)) {
    const start = m.index;
    const valueStart = start + m[0].length;
    const index = lineIndexAt(doc, start);
    const lineEnd = doc.lines.end(index);
    const rest = doc.text.slice(valueStart, lineEnd);
    if (!isPlaceholder(rest)) {
      out.push({ span: { start, end: lineEnd }, value: rest.trim() });
      continue;
    }
    if (rest.trim() !== '' && !/^[\s_＿]*$/.test(rest)) continue;
    const under: Line[] = [];
    for (let i = index + 1; i < doc.lines.length && under.length < valueLines; i++) {
      const l = doc.lines.at(i);
      if (l.blank) {
        if (under.length > 0) break;
        if (i > index + 2) break;
        continue;
      }
      if (LABEL_LINE.test(l.text) && !/^\s*https?:/i.test(l.text)) break;
      under.push(l);
    }
    const value = under.map((l) => l.text).join('\n');
    if (under.length > 0 && !isPlaceholder(value))
      out.push({ span: { start, end: under[under.length - 1].end }, value: value.trim() });
  }
  return out;
}

/** Every match of a global regex, as spans of the normalised text. */
export function zhFacts(doc: NoticeText, re: RegExp): Span[] {
  return [...doc.text.matchAll(re)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

const URL_START = /^https?:\/\//i;
const WIDE = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/;

/**
 * Chinese text runs straight on from a URL ("…/kuaijian.html），但这是…"), and the English detectors end a URL only
 * at a space: in a Chinese notice, a span that is a URL ends at the first full-width or Han character.
 */
export function clipUrls(doc: NoticeText, spans: Span[]): Span[] {
  return spans.map((s) => {
    const t = doc.text.slice(s.start, s.end);
    if (!URL_START.test(t)) return s;
    const wide = t.search(WIDE);
    return wide > 0 ? { start: s.start, end: s.start + wide } : s;
  });
}
