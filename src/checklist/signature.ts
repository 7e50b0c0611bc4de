import { answerLines, answerSpan, inlineAnswer, isPromptLine, isSubstantiveAnswer } from './form';
import { facts } from './spans';
import { Line, NoticeText, Span, REDACTED, isRedactedLine } from './text';

const VALEDICTION =
  /^\s*(?:(?:yours\s+)?sincerely(?:\s+yours)?|(?:very\s+)?(?:truly|faithfully|respectfully|cordially)\s+yours|cordially|(?:thanks|thank\s+you)\s*(?:and|&)\s*(?:best\s+|kind\s+)?regards|with\s+(?:many\s+)?thanks|all\s+the\s+best|yours\s+(?:truly|faithfully|respectfully|sincerely)|(?:with\s+)?(?:(?:best|kind|warm|kindest|warmest)\s*)?regards|respectfully(?:\s+submitted)?|truthfully|truly|faithfully|thanks?(?:\s+you)?(?:\s+(?:again|very\s+much|in\s+advance))?|thank\s+you(?:\s+(?:again|very\s+much|in\s+advance))?|many\s+thanks|cheers|best(?:\s+wishes)?|signed|undersigned|mit\s+freundlichen\s+gr(?:ü|ue)(?:ß|ss)en|cordialement|saludos|(?:many\s+)?(?:thanks|thank\s+you)(?:\s+(?:so|very)\s+much)?\s+for\s+your\s+(?:kind\s+|prompt\s+)?(?:time|help|assistance|attention|cooperation|co-operation|consideration|understanding|support|patience)(?:\s+[^,.!?\n]{1,50})?|[^\n]{1,50}?(?:,\s*(?:and\s+)?|\s+and\s+)(?:many\s+)?(?:thanks|thank\s+you)(?:\s+(?:again|in\s+advance|very\s+much))?)\s*(?:[,.!:]\s*)?$/i;
const SIGN_PROMPT =
  /(?:type|enter|provide)\s+(?:your\s+)?(?:full\s+)?(?:legal\s+)?name\b[^\n]{0,60}(?:sign|signature)|signature(?:\s+(?:information|block|details))?(?:\s*:)?\s*$|^(?:\d{1,2}[.)]\s*)?(?:an?\s+)?(?:your\s+)?(?:physical\s+or\s+)?(?:electronic|digital)\s+signature\b/i;
const LABELLED = [
  /(?<![\w/])\/\s?s\s?\/\s{0,3}(?:\[[^\]\n]{1,20}\]|[A-Z][\w'.-]{1,30}(?:\s+[A-Z][\w'.-]{1,30}){0,3})/gi,
  /\b(?:signed|signature|e-?signature)(?:[ \t]+of[ \t]+(?:the[ \t]+)?[a-z]{2,20})?\s{0,8}(?:by\s{0,8})?[:.][ \t]*"?(?:\[[^\]\n]{1,20}\]|[A-Z][\w'.-]{1,30}(?:[ \t]+[A-Z][\w'.-]{1,30}){0,3})/gi,
  // "Signed this 16 day of October, 2018.\n\n[private]"
  /\bsigned[ \t]+(?:on[ \t]+)?this\b[^\n]{0,60}\n(?:[ \t]*\n){0,2}[ \t]*(?:\[[^\]\n]{1,20}\]|[A-Z][\w'.-]{1,30}(?:[ \t]+[A-Z][\w'.-]{1,30}){1,3})/gi,
  // "//[private]//", "//Jane Doe//": the double-slash form of "/s/".
  /^[ \t]*\/\/[ \t]?(?:\[[^\]\n]{1,20}\]|signed|[A-Z][\w'.-]{1,30}(?:[ \t]+[A-Z][\w'.-]{1,30}){0,3})[ \t]?\/\/[ \t]*$/gim,
  /\b(?:my\s+)?(?:electronic|digital)\s+signature\s+(?:follows|is\s+set\s+out|appears|below)/gi,
  /\bdigital\s+signature\s+for\s+[^\n]{0,60}\n(?:\s*[^\n[]{1,120}\n)?\s*(?:\[[^\]\n]{1,20}\])/gi,
  /^[ \t]*(?:\d{1,2}[.)][ \t]*)?signed[ \t]*[,-][ \t]*(?:\[[^\]\n]{1,20}\]|[A-Z][\w'.-]{1,30}(?:[ \t]+[A-Z][\w'.-]{1,30}){0,3})/gim,
  /\bsigned[ \t]+by[ \t]+(?:myself|me)\b/gi,
  // "Thanks, [private]", "Best regards, Jane Doe": the valediction and the name on one line.
  /^[ \t]*(?:thanks|thank[ \t]+you|(?:best[ \t]+|kind[ \t]+|warm[ \t]+)?regards|sincerely|cheers|best)[ \t]*,[ \t]*(?:\[[^\]\n]{1,20}\]|[A-Z][\w'.-]{1,30}(?:[ \t]+[A-Z][\w'.-]{1,30}){0,3})[ \t]*$/gim,
  /\blinked\s+image\s+is\s+a\s+representation\s+of\s+my\s+(?:physical\s+)?signature\b/gi,
  // "(My name written afore is to be considered my digital signature)"
  /\bmy\s+name\s+[^\n]{0,40}\b(?:considered|serves?\s+as|constitutes?|deemed)\s+(?:as\s+)?(?:to\s+be\s+)?my\s+(?:digital\s+|electronic\s+)?signature\b/gi,
];
const NAME =
  /^(?:\/?\[[^\]\n]{1,20}\]\/?|private|[A-Z][\p{L}'’.-]{0,30}(?:\s+[A-Z][\p{L}'’.-]{0,30}){1,3})(?:\s{0,4}\([^()\n]{1,60}\))?(?:\s{0,8}(?:https?:\/\/|www\.)\S{1,100})?(?:\s*\(?(?:,|-|–|for|on\s+behalf\s+of)\s*[^\n]{0,80})?$/u;
const CLOSING_LINE_MAX = 70;
// Name, title or company lines; a line with digits, "@" or a "Label:" is contact detail, not a signature.
const SIGNATURE_BLOCK_LINE =
  /^(?:(?!.*\d{3})[^@:]{1,50}|\d{4}-\d{2}-\d{2}|[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}(?: \[?\d{1,2}:\d{2}\]?)?)$/;

function isNameLine(text: string): boolean {
  const t = text.trim().replace(/^(?:=>|答：|答:)\s*/, '');
  return (NAME.test(t) || isRedactedLine(t)) && !/^(?:thank|regards|sincerely|dear|hello|hi)\b/i.test(t);
}

/** A valediction followed by a name (or a redaction where the name stood) within the next few lines. */
function closings(doc: NoticeText): Span[] {
  const spans: Span[] = [];
  const { lines } = doc;
  for (let index = 0; index < lines.length; index++) {
    if (!VALEDICTION.test(lines.text(index))) continue;
    const next = nextNonBlank(doc, index, 8);
    if (next && isNameLine(next.text)) spans.push({ start: lines.start(index), end: next.end });
  }
  return spans;
}

// A heading that is only the signature's label ("9. Electronic signature"), the signature on the lines under it.
const SIGN_HEADING = /^(?:\d{1,2}[.)]\s*)?(?:(?:electronic|digital|physical)\s+)?signature\s*$/i;
// The rule a signature is written on ("______"): not itself an answer.
const RULE_LINE = /^[\s_=.-]*$/;
const FIELD_LABEL = /^[\p{L} ]{1,30}[:：]/u;

function answeredSignPrompts(doc: NoticeText): Span[] {
  const spans: Span[] = [];
  for (let index = 0; index < doc.lines.length; index++) {
    if (!SIGN_PROMPT.test(doc.lines.text(index))) continue;
    const line = doc.lines.at(index);
    const heading = SIGN_HEADING.test(line.text.trim());
    if (!heading && !isPromptLine(doc, index) && !/[:.]\s*$|\(see\s+(?:attached|below)\)\s*$/i.test(line.text))
      continue;
    // "**Please type your full legal name below to sign:** [private]": the answer on the prompt's own line.
    const inline = inlineAnswer(doc, line);
    const answer = (inline ? [inline] : answerLines(doc, index)).filter((l) => !RULE_LINE.test(l.text)).slice(0, 3);
    if (!isSubstantiveAnswer(answer) || answer[0].text.trim().length < 2) continue;
    // Under a bare heading, the next form field ("Date: ...") is not a signature.
    if (heading && FIELD_LABEL.test(answer[0].text.trim())) continue;
    const span = answerSpan(answer);
    if (span) spans.push({ start: line.start, end: span.end });
  }
  return spans;
}

/**
 * The letter's last lines: a short block at the very end whose first line is a redaction or a "/[private]/"
 * where the signer's name stood ("[private]\nManaging Director"). Only redactions count here; a typed company
 * name alone at the end does not sign.
 */
function trailingBlock(doc: NoticeText): Span[] {
  const block: Line[] = [];
  let before: Line | undefined;
  for (let i = doc.lines.length - 1; i >= 0 && block.length < 6; i--) {
    if (doc.lines.blank(i)) continue;
    const line = doc.lines.at(i);
    if (line.text.trim().length > CLOSING_LINE_MAX || isPromptLine(doc, i)) {
      // Redactions under a form's question answer that question (phone, address), they do not sign.
      if (isPromptLine(doc, i) || /:\s*$/.test(line.text)) return [];
      before = line;
      break;
    }
    block.unshift(line);
  }
  const first = block.findIndex((l, i) => {
    if (!isRedactedLine(l.text) && !REDACTED.test(l.text.trim().slice(0, 12))) return false;
    // After an address, phone or "Label:" line, a lone redaction is more contact detail, not the signer.
    const previous = i > 0 ? block[i - 1] : before;
    const lone = isRedactedLine(l.text);
    if (
      lone &&
      previous &&
      !SIGNATURE_BLOCK_LINE.test(previous.text.trim()) &&
      !isProse(previous.text) &&
      previous.text.trim().length <= CLOSING_LINE_MAX
    )
      return false;
    if (lone && underPrompt(doc, l)) return false;
    return block.length - i <= 4 && block.slice(i).every((b) => SIGNATURE_BLOCK_LINE.test(b.text.trim()));
  });
  if (first < 0) return [];
  return [{ start: block[first].start, end: block[block.length - 1].end }];
}

/** A sentence of the letter ("... that is allegedly infringed."), not an address or phone line. */
function isProse(text: string): boolean {
  const t = text.trim();
  return /[.!?]$/.test(t) && !/\d{3}|@/.test(t) && t.split(/\s+/).length >= 5;
}

const PERSON = /^[A-Z][\p{L}'’-]{1,30}\.?(?:[ \t]+[A-Z][\p{L}'’.-]{0,30}){1,2}$/u;
const NOT_A_PERSON =
  /\b(?:Inc|Ltd|LLC|GmbH|Corp|Corporation|Company|Team|Department|Dept|Legal|Software|Apps?|Games?|Studios?|Group|Limited|Agency|Services|Support|Enforcement|Copyright|DMCA|Notice|Takedown|Thanks?|Regards|Hello|Dear)\b/;
const DASH_SIGNATURE =
  /(?:^|(?<=[.!?][ \t]{1,4}))[ \t]*(?:--|—|–)[ \t]*[A-Z][\p{L}'’.-]{1,30}(?:[ \t]+[A-Z][\p{L}'’.-]{1,30}){0,2}(?=[ \t]*(?:,|$))/gmu;
/** The dashes DASH_SIGNATURE needs: a text without one is not scanned for it, name by name. */
const SIGNATURE_DASH = /--|—|–/;

/**
 * A person's name opening the letter's last short paragraph, with only a title, company or contact lines under it
 * ("Tom Becker\nBecker Apps\n+49 30 ..."): typed where a signature goes, though no valediction precedes it.
 */
function trailingName(doc: NoticeText): Span[] {
  let end = doc.lines.length - 1;
  while (end >= 0 && doc.lines.blank(end)) end--;
  // The closing block, read back to the blank line over it: more than four lines is no signature block, so the
  // walk stops there rather than collecting a long last paragraph.
  let i = end;
  while (i >= 0 && !doc.lines.blank(i) && end - i < 5) i--;
  const block: Line[] = doc.lines.slice(i + 1, end + 1);
  if (i < 0 || block.length === 0 || block.length > 4 || !doc.lines.blank(i)) return [];
  const [first, ...rest] = block;
  const name = first.text.trim();
  if (!PERSON.test(name) || NOT_A_PERSON.test(name)) return [];
  if (rest.some((l) => l.text.trim().length > 60)) return [];
  return [{ start: first.start, end: first.end }];
}

// The signer's job title or department, under the name: "[private]\nOffice Assistant", "[private]\n\nAnti-Piracy".
const TITLE_LINE =
  /^(?:[\p{L}&'’.,-]{1,30}[ \t]+){0,4}?(?:manager|director|assistant|officer|counsel|attorney|lawyer|paralegal|analyst|specialist|coordinator|representative|administrator|executive|secretary|consultant|founder|co-?founder|president|owner|partner|associate|agent|anti-?piracy|legal|enforcement|compliance|investigations?|team|department|rechtsanw\p{L}{0,6}|avocat|abogad[oa]|ceo|cto|coo|cfo)(?:[ \t]+[\p{L}&'’.,-]{1,30}){0,4}$/iu;
const STATEMENT = /penalt(?:y|ies)\s+of\s+perjury|good[\s-]{1,3}faith/i;

/**
 * A name, or the redaction where it stood, opening a short block whose next line is a job title, after the sworn
 * statements (or in the letter's last part where there are none): the signer's block, with or without a
 * valediction ("...allegedly infringed.\n\n[private]\nOffice Assistant").
 */
function titledBlock(doc: NoticeText): Span[] {
  const { lines } = doc;
  let from = Math.floor(lines.length * 0.6);
  for (let i = lines.length - 1; i >= 0; i--)
    if (!lines.blank(i) && STATEMENT.test(lines.text(i))) {
      from = i + 1;
      break;
    }
  const spans: Span[] = [];
  for (let i = from; i < lines.length; i++) {
    if (lines.blank(i) || (i > 0 && !lines.blank(i - 1) && i !== from)) continue;
    const line = lines.at(i);
    const t = line.text.trim();
    if (!isRedactedLine(t) && !(PERSON.test(t) && !NOT_A_PERSON.test(t))) continue;
    if (underPrompt(doc, line)) continue;
    const next = nextNonBlank(doc, i, 1);
    if (!next || next.text.trim().length > 50 || !SIGNATURE_BLOCK_LINE.test(next.text.trim())) continue;
    if (TITLE_LINE.test(next.text.trim())) spans.push({ start: line.start, end: next.end });
  }
  return spans;
}

const CONTACT_LINE =
  /^[ \t]*(?:[-•][ \t]*)?(?:[\p{L}][\p{L} .-]{0,30}[:：][ \t]*(?!\/\/)\S|[^\s@]{1,64}@|\+?\d[\d ()./-]{6,})/u;

/**
 * The letter's end: one to three redacted (or name) lines, then only contact lines ("Phone: ...", "Address: ...")
 * to the end, after the statements: the signer's name heading their contact block.
 */
function nameOverContactBlock(doc: NoticeText): Span[] {
  let i = doc.lines.length - 1;
  let contact = 0;
  for (; i >= 0 && contact < 10; i--) {
    if (doc.lines.blank(i)) continue;
    const text = doc.lines.text(i);
    if (!CONTACT_LINE.test(text) || text.trim().length > 100) break;
    contact++;
  }
  if (contact === 0 || i < 0) return [];
  const names: Line[] = [];
  for (; i >= 0 && names.length < 4; i--) {
    if (doc.lines.blank(i)) break;
    const line = doc.lines.at(i);
    if (!isRedactedLine(line.text) && !(PERSON.test(line.text.trim()) && !NOT_A_PERSON.test(line.text.trim()))) break;
    names.unshift(line);
  }
  if (names.length === 0 || names.length > 3) return [];
  // The block follows the letter's last sentence, not another block line (a company, a title, an address).
  const above = doc.lines
    .slice(Math.max(0, i - 3), i + 1)
    .filter((l) => !l.blank)
    .pop();
  if (!above || !isProse(above.text) || isPromptLine(doc, above.index) || underPrompt(doc, names[0])) return [];
  for (let j = i; j >= 0; j--)
    if (!doc.lines.blank(j) && STATEMENT.test(doc.lines.text(j)))
      return [{ start: names[0].start, end: names[names.length - 1].end }];
  return [];
}

/**
 * The signer's redacted name opening the letter's last short block, straight after the sworn statements, over the
 * company's address ("...allegedly infringed.\n\n[private]\nAmazon.com, 2021 7th Ave, Seattle, WA 98121"): where a
 * name under the statements stood. The block holds short lines only, none of them a sentence or a form's answer.
 */
function signerOverAddress(doc: NoticeText): Span[] {
  let end = doc.lines.length - 1;
  while (end >= 0 && doc.lines.blank(end)) end--;
  let start = end;
  // Back to the blank line over the last block; a block over four lines is none, so the walk stops at five.
  while (start > 0 && !doc.lines.blank(start - 1) && end - start < 4) start--;
  if (start > 0 && !doc.lines.blank(start - 1)) return [];
  const block = doc.lines.slice(start, end + 1);
  if (block.length < 2 || block.length > 4 || !isRedactedLine(block[0].text)) return [];
  if (block.some((l) => l.text.trim().length > 100 || isProse(l.text) || isPromptLine(doc, l.index))) return [];
  let above = start - 1;
  while (above >= 0 && doc.lines.blank(above)) above--;
  if (above < 0 || !STATEMENT.test(doc.lines.text(above)) || !isProse(doc.lines.text(above))) return [];
  return [{ start: block[0].start, end: block[0].end }];
}

/** A numbered list's signature item ("6. [private]") in notices that follow GitHub's guide item by item. */
function listItem(doc: NoticeText): Span[] {
  const spans: Span[] = [];
  for (let i = 0; i < doc.lines.length; i++)
    if (/^\s*(?:1|6)[.)]\s*\[[^\]\n]{1,20}\]\s*$/.test(doc.lines.text(i)))
      spans.push({ start: doc.lines.start(i), end: doc.lines.end(i) });
  return spans;
}

export function signatureSpans(doc: NoticeText): Span[] {
  return [
    ...LABELLED.flatMap((re) => facts(doc, re)),
    ...closings(doc),
    ...answeredSignPrompts(doc),
    ...trailingBlock(doc),
    ...titledBlock(doc),
    ...nameOverContactBlock(doc),
    ...signerOverAddress(doc),
    ...listItem(doc),
    ...trailingName(doc),
    ...(SIGNATURE_DASH.test(doc.text) ? facts(doc, DASH_SIGNATURE) : []),
  ];
}

/** Whether a line sits in the answer to a form prompt (a few short lines under it). */
function underPrompt(doc: NoticeText, line: Line): boolean {
  const index = line.index;
  for (let i = index - 1; i >= 0 && i >= index - 12; i--) {
    if (isPromptLine(doc, i)) return true;
    if (doc.lines.text(i).trim().length > CLOSING_LINE_MAX) return false;
  }
  return false;
}

function nextNonBlank(doc: NoticeText, index: number, within: number): Line | undefined {
  for (let i = index + 1; i < doc.lines.length && i <= index + within + 1; i++)
    if (!doc.lines.blank(i)) return doc.lines.at(i);
  return undefined;
}
