import type { Locale } from '../core/i18n/locales';
import type { StructuredNotice } from './structured';

// Bounded, and an address starts only after a space or the start: a megabyte on one line stays linear.
const URLS_AND_ADDRESSES =
  /\b(?:https?:\/\/|www\.)\S+|(?<![^\s@])[^\s@]{1,64}@[^\s@.]{1,63}(?:\.[^\s@.]{1,63}){0,7}\.[a-z]{2,24}/gi;
const HAN = /\p{Script=Han}/gu;
const KANA_OR_HANGUL = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;
const LATIN = /\p{Script=Latin}/gu;
/**
 * How much of a long text is read for its language: its opening 64 KB says it as well as the whole, and a megabyte
 * read on the API's own thread would hold every other request for a tenth of a second.
 */
const SAMPLE_CHARS = 64 * 1024;

/**
 * The language a notice is written in, for the letters to its sender: zh-Hans when most of its letters (URLs and
 * addresses aside, which are Latin whatever the language) are Han characters, else en. Japanese and Korean, whose
 * text mixes in kana or hangul, are not read as Chinese.
 */
export function detectLanguage(text: string | null | undefined, structured?: StructuredNotice | null): Locale {
  const parts = [sample(text ?? '')];
  if (structured) {
    const c = structured.complainant;
    parts.push(
      c?.name ?? '',
      c?.company ?? '',
      c?.address ?? '',
      c?.ownerName ?? '',
      structured.work?.description ?? '',
      structured.signature ?? '',
      ...(structured.searchTerms ?? []),
    );
  }
  const prose = parts.join('\n').replace(URLS_AND_ADDRESSES, ' ');
  const han = count(prose, HAN);
  const other = count(prose, KANA_OR_HANGUL);
  const latin = count(prose, LATIN);
  return han > 0 && han > latin && han > other * 4 ? 'zh-Hans' : 'en';
}

/** The text's opening SAMPLE_CHARS, cut at a line end when there is one near, and never inside a surrogate pair. */
function sample(text: string): string {
  if (text.length <= SAMPLE_CHARS) return text;
  const lineEnd = text.lastIndexOf('\n', SAMPLE_CHARS);
  let end = lineEnd > SAMPLE_CHARS / 2 ? lineEnd : SAMPLE_CHARS;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return text.slice(0, end);
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}
