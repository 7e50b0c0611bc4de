/**
 * What is wrong with the URLs a counter-notice names. The row keeps each problem as an English sentence (what staff
 * read, in their working language); its sender reads it in theirs, from the catalog key `counterNotice.problems.<code>`
 * with the same values, recovered from the sentence by `readProblem`. The two shapes are written and read only here.
 */
export type CounterNoticeProblem =
  /** The reference given names no case; the URLs were taken down under `reference`. */
  | { code: 'wrongReference'; named: string; reference: string }
  /** `url` was not taken down under `reference`. */
  | { code: 'notTakenDown'; url: string; reference: string };

/** A stored problem as a template shows it: a catalog key and its values, or a sentence of an older shape as it is. */
export type ShownProblem = CounterNoticeProblem | { code?: undefined; text: string };

/** The English sentence the row keeps. */
export function problemText(p: CounterNoticeProblem): string {
  switch (p.code) {
    case 'wrongReference':
      return `There is no case ${p.named}; the URLs you named were taken down under case ${p.reference}.`;
    case 'notTakenDown':
      return `${p.url} was not taken down under case ${p.reference}.`;
  }
}

const WRONG_REFERENCE = /^There is no case (\S+); the URLs you named were taken down under case (\S+)\.$/;
const NOT_TAKEN_DOWN = /^(\S+) was not taken down under case (\S+)\.$/;

/** The problem a stored sentence says, for a template to word in its reader's language. */
export function readProblem(text: string): ShownProblem {
  const wrong = WRONG_REFERENCE.exec(text);
  if (wrong) return { code: 'wrongReference', named: wrong[1], reference: wrong[2] };
  const notTaken = NOT_TAKEN_DOWN.exec(text);
  if (notTaken) return { code: 'notTakenDown', url: notTaken[1], reference: notTaken[2] };
  return { text };
}
