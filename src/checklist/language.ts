import type { Locale } from '../core/i18n/locales';
import type { StructuredNotice } from './structured';

// Bounded, and an address starts only after a space or the start: a megabyte on one line stays linear.
const URLS_AND_ADDRESSES =
  /\b(?:https?:\/\/|www\.)\S+|(?<![^\s@])[^\s@]{1,64}@[^\s@.]{1,63}(?:\.[^\s@.]{1,63}){0,7}\.[a-z]{2,24}/gi;
const HAN = /\p{Script=Han}/gu;
const KANA_OR_HANGUL = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;
const LATIN = /\p{Script=Latin}/gu;

/**
 * The language a notice is written in, for the letters to its sender: zh-Hans when most of its letters (URLs and
 * addresses aside, which are Latin whatever the language) are Han characters, else en. Japanese and Korean, whose
 * text mixes in kana or hangul, are not read as Chinese.
 */
export function detectLanguage(text: string | null | undefined, structured?: StructuredNotice | null): Locale {
  const parts = [text ?? ''];
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

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}
