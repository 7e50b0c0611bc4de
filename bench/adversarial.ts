/**
 * Texts shaped to find super-linear paths in free-text handling: long runs of one character class, one statement
 * or one separator repeated, brackets and quotes never closed, very long lines, and the shapes that were found to
 * freeze the service. Each shape makes a text of about the size asked for, so that the time per KB can be compared
 * between sizes: a linear path costs the same per KB at 10 KB and at 1 MB, a quadratic one about 100 times more.
 *
 * Used by the linearity tripwire test (test/text-linearity.spec.ts) and the text bench.
 */
import { highlightEvidence } from '../src/staff-ui/evidence-highlight';
import { checkNotice } from '../src/checklist';
import { redactPersonalData } from '../src/core/privacy/redact';
import { replyText } from '../src/checklist';
import { PARSE_LIMITS } from '../src/email-intake/parse-budget';
import { mimeProblem } from '../src/email-intake/raw-message';
import { loadProviderRegistry, sortLinks } from '../src/links';

export interface AdversarialShape {
  name: string;
  make(bytes: number): string;
}

/** `unit` repeated to about `bytes` characters, after `head` and before `tail`. */
function fill(bytes: number, unit: string, head = '', tail = ''): string {
  const n = Math.max(1, Math.ceil((bytes - head.length - tail.length) / unit.length));
  return head + unit.repeat(n) + tail;
}

const PERJURY =
  'I swear, under penalty of perjury, that the information in this notification is accurate and that I am the copyright owner.\n';
const GOOD_FAITH =
  'I have a good faith belief that use of the material in the manner complained of is not authorized by the copyright owner.\n';

export const ADVERSARIAL_SHAPES: readonly AdversarialShape[] = [
  // The shapes the first probe found: an instruction head run on over a long line ending in ':' before statements.
  { name: 'eg-colon-then-statements', make: (b) => fill(b, 'I own\n', `${'e.g. '.repeat(b / 20)}:\n\n${PERJURY}`) },
  { name: 'perjury-lines', make: (b) => fill(b, 'penalty of perjury\n') },
  {
    name: 'perjury-then-eg-colon-then-owner-lines',
    make: (b) => fill(b, 'I own\n', `${PERJURY}${'e.g.'.repeat(b / 8)}:\n\n`),
  },
  { name: 'eg-colon-then-perjury-lines', make: (b) => fill(b, 'penalty of perjury\n', `${'e.g.'.repeat(b / 8)}:\n\n`) },
  { name: 'signature-spaces', make: (b) => fill(b, ' ', 'signature', 'x') },
  // The MIME check's boundary ("b", below) again and again inside one line, never at its start.
  { name: 'delimiters-mid-line', make: (b) => fill(b, 'x--b') },
  { name: 'signature-tabs', make: (b) => fill(b, '\t', 'signature', 'x') },
  { name: 'signature-space-lines', make: (b) => fill(b, ' \n', 'signature', 'x') },
  { name: 'signed-by-spaces', make: (b) => fill(b, ' ', `signed${' '.repeat(b / 2)}by`, 'x') },
  { name: 'email-newlines', make: (b) => fill(b, '\n', 'email', 'x') },
  { name: 'phone-spaces', make: (b) => fill(b, ' ', 'phone', 'x') },
  { name: 'email-spaces', make: (b) => fill(b, ' ', 'email', 'x') },
  { name: 'contact-label-spaces', make: (b) => fill(b, ' ', 'contact information', ': x') },
  { name: 'spaces', make: (b) => fill(b, ' ', '', 'x') },
  { name: 'space-lines', make: (b) => fill(b, ' \n') },
  { name: 'tabs-nbsp', make: (b) => fill(b, '\t\u00a0 ') },
  { name: 'blank-lines', make: (b) => fill(b, '\n') },
  { name: 'dashes', make: (b) => fill(b, '-') },
  { name: 'dots', make: (b) => fill(b, '.') },
  { name: 'colons', make: (b) => fill(b, ':') },
  { name: 'slashes', make: (b) => fill(b, '/') },
  { name: 'underscores-stars', make: (b) => fill(b, '_*') },
  { name: 'separator-lines', make: (b) => fill(b, '-----\n') },
  { name: 'good-faith-repeated', make: (b) => fill(b, GOOD_FAITH) },
  { name: 'perjury-repeated', make: (b) => fill(b, PERJURY) },
  { name: 'owner-repeated', make: (b) => fill(b, 'I am the copyright owner of my software. ') },
  { name: 'question-lines', make: (b) => fill(b, 'Do you have a good faith belief that the use is not authorized?\n') },
  { name: 'prompt-colon-lines', make: (b) => fill(b, 'Please include the following statement:\n') },
  { name: 'valediction-lines', make: (b) => fill(b, 'Sincerely,\n') },
  { name: 'private-lines', make: (b) => fill(b, '[private]\n') },
  { name: 'open-parens', make: (b) => fill(b, '(') },
  { name: 'open-brackets', make: (b) => fill(b, '[') },
  { name: 'open-angles', make: (b) => fill(b, '<') },
  { name: 'open-quotes', make: (b) => fill(b, '"') },
  { name: 'apostrophes', make: (b) => fill(b, "'") },
  { name: 'one-long-line-words', make: (b) => fill(b, 'copyright owner work ') },
  { name: 'one-long-line-letters', make: (b) => fill(b, 'a') },
  { name: 'capital-words', make: (b) => fill(b, 'Ab ') },
  { name: 'digits', make: (b) => fill(b, '1') },
  { name: 'digit-groups', make: (b) => fill(b, '12 ') },
  { name: 'phone-like', make: (b) => fill(b, '+1 415 555 ') },
  { name: 'at-signs', make: (b) => fill(b, 'a@') },
  { name: 'email-chars', make: (b) => fill(b, 'a.b-c_') },
  { name: 'host-dots', make: (b) => fill(b, 'a.') },
  { name: 'scheme-repeated', make: (b) => fill(b, 'https://') },
  { name: 'url-long-path', make: (b) => fill(b, 'a/', 'https://example.com/') },
  { name: 'url-lines-wrapped', make: (b) => fill(b, `https://example.com/${'x'.repeat(60)}/\n`) },
  { name: 'www-repeated', make: (b) => fill(b, 'www.') },
  { name: 'markdown-links', make: (b) => fill(b, '[a](') },
  { name: 'bold-open', make: (b) => fill(b, '**a\n') },
  { name: 'quoted-lines', make: (b) => fill(b, '> ') },
  { name: 'entities', make: (b) => fill(b, '&amp;&') },
  { name: 'br-tags', make: (b) => fill(b, '<br') },
  { name: 'chinese', make: (b) => fill(b, '本人是该软件的著作权人，') },
  { name: 'street-like', make: (b) => fill(b, '1 Ab Cd Ef Gh ') },
  { name: 'numbered-items', make: (b) => fill(b, '1. ') },
];

/**
 * One free-text path of the product, as the API, the worker and the staff pages run it. `prepare` does, untimed,
 * what the path is handed by others (the evidence quotes a page highlights) and answers the work to time.
 */
export interface TextOperation {
  name: string;
  prepare(text: string): () => unknown;
}

const registry = loadProviderRegistry();
const SITE = { siteDomains: ['example.com'], registry };

export const TEXT_OPERATIONS: readonly TextOperation[] = [
  { name: 'checklist', prepare: (text) => () => checkNotice({ text }) },
  { name: 'link sorting', prepare: (text) => () => sortLinks({ text }, SITE) },
  {
    name: 'evidence highlighting',
    prepare: (text) => {
      const { elements } = checkNotice({ text });
      const evidence = Object.entries(elements).map(([element, r]) => ({ element, quotes: r?.evidence ?? [] }));
      return () => highlightEvidence(text, evidence);
    },
  },
  { name: 'reply stripping', prepare: (text) => () => replyText(text) },
  { name: 'redaction', prepare: (text) => () => redactPersonalData(text) },
  {
    // The MIME walk a stored message gets before mailparser sees it: the text as the one part of a multipart.
    name: 'MIME check',
    prepare: (text) => {
      const raw = Buffer.from(
        `Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n${text}\r\n--b--\r\n`,
        'latin1',
      );
      return () => mimeProblem(raw, PARSE_LIMITS);
    },
  },
];

export interface Growth {
  shape: string;
  operation: string;
  /** Milliseconds per KB at the small size and at the large one. */
  smallMsPerKb: number;
  largeMsPerKb: number;
  /** largeMsPerKb / smallMsPerKb: about 1 for a linear path, about large/small for a quadratic one. */
  ratio: number;
  largeMs: number;
}

/** Runs `fn` until at least `minMs` have passed (at least once), and answers the time of one run. */
function timePerRun(fn: () => unknown, minMs: number): number {
  let runs = 0;
  const t0 = performance.now();
  let elapsed: number;
  do {
    fn();
    runs++;
    elapsed = performance.now() - t0;
  } while (elapsed < minMs);
  return elapsed / runs;
}

/**
 * The growth in time per KB from `smallBytes` to `largeBytes` of one shape through one operation, both measured
 * in this run: the small size is repeated long enough to time it well, the large one is the best of `largeRuns`.
 */
export function measureGrowth(
  shape: AdversarialShape,
  op: TextOperation,
  smallBytes = 10 * 1024,
  largeBytes = 1024 * 1024,
  largeRuns = 1,
): Growth {
  const small = shape.make(smallBytes);
  const runSmall = op.prepare(small);
  runSmall(); // warm-up: compile the patterns and the code paths once
  const smallMs = Math.min(timePerRun(runSmall, 20), timePerRun(runSmall, 20));
  const large = shape.make(largeBytes);
  const runLarge = op.prepare(large);
  // Timed as the small size is (repeated for 20 ms, when one run is shorter), so that a large run of a millisecond or
  // two is not one cold sample against a warm average; a run longer than that is timed once, best of largeRuns.
  let largeMs = Infinity;
  for (let i = 0; i < largeRuns; i++) largeMs = Math.min(largeMs, timePerRun(runLarge, 20));
  const smallMsPerKb = smallMs / (small.length / 1024);
  const largeMsPerKb = largeMs / (large.length / 1024);
  return {
    shape: shape.name,
    operation: op.name,
    smallMsPerKb,
    largeMsPerKb,
    ratio: largeMsPerKb / smallMsPerKb,
    largeMs,
  };
}
