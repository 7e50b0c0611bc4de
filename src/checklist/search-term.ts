import { NoticeText, Span, matchAll } from './text';

const SEARCH_TERMS = [
  /\bsearch\s+(?:terms?|queries|query|keywords?|phrases?)(?:\s*\(s\))?(?:\s+used)?\s*:[ \t]*[^\s\n][^\n]{0,200}/gi,
  /\b(?:appears?|shows?\s+up|is\s+(?:shown|listed|returned|found))\s+when\s+(?:searching|you\s+search|one\s+searches|I\s+search)(?:\s+(?:your|the)\s+(?:site|website|platform|catalog(?:ue)?))?\s+(?:for\s+)?(?:"[^"\n]{1,100}"|'[^'\n]{1,100}'|[^\s.,;\n][^.,;\n]{0,100})/gi,
  /\bsearch(?:ing|ed)?\s+(?:your|the)\s+(?:site|website|platform|catalog(?:ue)?|store)\s+for\s+(?:"[^"\n]{1,100}"|'[^'\n]{1,100}'|[^\s.,;\n][^.,;\n]{0,100})/gi,
  /\bsearch(?:ing|ed)?\s+for\s+(?:"[^"\n]{1,100}"|'[^'\n]{1,100}')/gi,
  /\b(?:by|when)\s+searching\s+(?:for\s+)?(?:"[^"\n]{1,100}"|'[^'\n]{1,100}')/gi,
];

export function searchTermSpans(doc: NoticeText): Span[] {
  return SEARCH_TERMS.flatMap((re) => matchAll(doc.text, re));
}
