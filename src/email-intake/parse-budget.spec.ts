import { PARSE_LIMITS, ParseBudget, QuarantineError } from './parse-budget';
import { mimeProblem } from './raw-message';

/** A multipart/mixed message of `parts` text parts (plus the multipart itself). */
function multipart(parts: number, subject = 'Forwarded notice'): Buffer {
  const boundary = `b-${parts}-${subject.length}`;
  const body = Array.from({ length: parts }, (_, i) =>
    [`--${boundary}`, 'Content-Type: text/plain', '', `part ${i}`].join('\r\n'),
  );
  return Buffer.from(
    [
      'From: Jane Roe <jane@rights.example.org>',
      `Subject: ${subject}`,
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      '',
      ...body,
      `--${boundary}--`,
      '',
    ].join('\r\n'),
  );
}

describe('mimeProblem with a shared count', () => {
  it('counts parts across calls, so a message and its forwards share one budget', () => {
    const limits = { maxParts: 100, maxDepth: 8 };
    const counted = { parts: 0 };
    expect(mimeProblem(multipart(60), limits, counted)).toBeUndefined();
    expect(counted.parts).toBe(61);
    expect(mimeProblem(multipart(60), limits, counted)).toBe('more than 100 MIME parts');
    // Each alone is fine.
    expect(mimeProblem(multipart(60), limits)).toBeUndefined();
  });
});

describe('ParseBudget', () => {
  it('quarantines a forwarded message that takes the whole message over the part limit', () => {
    const budget = new ParseBudget();
    expect(budget.check(multipart(40))).toBeUndefined();
    expect(budget.checkForwarded(multipart(40))).toBeUndefined();
    expect(budget.checkForwarded(multipart(40))).toBe(
      `in a forwarded message: more than ${PARSE_LIMITS.maxParts} MIME parts`,
    );
  });

  it('checks the MIME tree of a forwarded message before it is parsed', () => {
    const budget = new ParseBudget();
    const noBoundary = Buffer.from('Content-Type: multipart/mixed\r\n\r\nhello\r\n');
    expect(budget.checkForwarded(noBoundary)).toBe(
      'in a forwarded message: malformed MIME: multipart/mixed without a boundary',
    );
  });

  it('bounds the decoded size of all forwarded messages together', () => {
    const budget = new ParseBudget({ ...PARSE_LIMITS, maxForwardedBytes: 1000 });
    const forward = Buffer.concat([multipart(1), Buffer.alloc(400, 'a')]);
    expect(budget.checkForwarded(forward)).toBeUndefined();
    expect(budget.checkForwarded(forward)).toBe('forwarded messages larger than 1000 bytes in total');
  });

  it('gives the whole message one deadline, and starts no parse once it has passed', async () => {
    let now = 1_000_000;
    const budget = new ParseBudget({ ...PARSE_LIMITS, timeoutMs: 20_000 }, () => now);
    expect(budget.deadline).toBe(1_020_000);
    await expect(budget.parse(multipart(2), () => 'read')).resolves.toMatchObject({ subject: 'Forwarded notice' });
    now += 15_000;
    expect(budget.remainingMs()).toBe(5_000);
    now += 5_000;
    expect(budget.remainingMs()).toBe(0);
    const late = budget.parse(multipart(2), () => 'read');
    await expect(late).rejects.toBeInstanceOf(QuarantineError);
    await expect(late).rejects.toThrow('parsing took longer than 20 s');
  });

  it('times out a parse that outlasts what is left of the deadline', async () => {
    let now = 0;
    const budget = new ParseBudget({ ...PARSE_LIMITS, timeoutMs: 20_000 }, () => now);
    now = 20_000 - 1; // 1 ms left: mailparser cannot finish a message within it
    await expect(budget.parse(multipart(99), () => 'read')).rejects.toThrow('parsing took longer than 20 s');
  });
});
