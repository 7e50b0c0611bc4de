import { classifySmtpFailure, describeSmtpFailure, isRelayUnreachable, redactAddresses } from './smtp-failure';

function smtpError(
  message: string,
  fields: { responseCode?: number; code?: string; response?: string; command?: string },
): Error {
  return Object.assign(new Error(message), fields);
}

describe('classifySmtpFailure', () => {
  it.each([
    ['a 550 unknown mailbox', smtpError('Recipient refused', { responseCode: 550, code: 'EENVELOPE' }), 'permanent'],
    ['a 554 refused message', smtpError('Message refused', { responseCode: 554, code: 'EMESSAGE' }), 'permanent'],
    ['a 451 greylisting', smtpError('Try later', { responseCode: 451, code: 'EMESSAGE' }), 'temporary'],
    ['a 421 shutting down', smtpError('Closing', { responseCode: 421 }), 'temporary'],
    ['a refused connection', smtpError('connect ECONNREFUSED', { code: 'ECONNECTION' }), 'temporary'],
    ['a timeout', smtpError('Timeout', { code: 'ETIMEDOUT' }), 'temporary'],
    [
      'a 535 login failure (our settings)',
      smtpError('Invalid login', { responseCode: 535, code: 'EAUTH' }),
      'temporary',
    ],
    ['something that is not an Error', 'boom', 'temporary'],
  ])('%s is %s', (_, error, expected) => {
    expect(classifySmtpFailure(error)).toBe(expected);
  });
});

describe('isRelayUnreachable', () => {
  it.each([
    // What nodemailer's pool gives for a closed port: ESOCKET on CONN.
    ['a refused connection', smtpError('connect ECONNREFUSED', { code: 'ESOCKET', command: 'CONN' }), true],
    ['a failed connection', smtpError('Connection closed', { code: 'ECONNECTION' }), true],
    ['no DNS answer for the relay', smtpError('getaddrinfo ENOTFOUND', { code: 'EDNS' }), true],
    ['a connect timeout', smtpError('Connection timeout', { code: 'ETIMEDOUT', command: 'CONN' }), true],
    ['a 421 service not available', smtpError('Closing', { responseCode: 421 }), true],
    ['a timeout in DATA', smtpError('Timeout', { code: 'ETIMEDOUT', command: 'DATA' }), false],
    ['a 451 greylisting', smtpError('Try later', { responseCode: 451, code: 'EMESSAGE' }), false],
    ['a 550 unknown mailbox', smtpError('Recipient refused', { responseCode: 550, code: 'EENVELOPE' }), false],
    ['something that is not an Error', 'boom', false],
  ])('%s: %s', (_, error, expected) => {
    expect(isRelayUnreachable(error)).toBe(expected);
  });
});

describe('describeSmtpFailure', () => {
  it("adds the server's reply when the message lacks it", () => {
    expect(describeSmtpFailure(smtpError('Message failed', { response: '550 5.1.1 No such user' }))).toBe(
      'Message failed: 550 5.1.1 No such user',
    );
    expect(describeSmtpFailure(smtpError('Message failed: 550 nope', { response: '550 nope' }))).toBe(
      'Message failed: 550 nope',
    );
  });
});

describe('describeSmtpFailure keeps addresses out', () => {
  it.each([
    [
      "nodemailer's refusal of every recipient, echoed by the server",
      smtpError(
        "Can't send mail - all recipients were rejected: 550 5.1.1 <jane.roe+dmca@example.org>: Recipient address rejected: User unknown",
        {
          responseCode: 550,
          code: 'EENVELOPE',
          response: '550 5.1.1 <jane.roe+dmca@example.org>: Recipient address rejected',
        },
      ),
      "Can't send mail - all recipients were rejected: 550 5.1.1 <[address]>: Recipient address rejected: User unknown",
    ],
    [
      'a bare address, at the end of a sentence',
      smtpError('451 4.2.1 Mailbox busy for Jane@Example.ORG.', { responseCode: 451 }),
      '451 4.2.1 Mailbox busy for [address].',
    ],
    [
      'several addresses, quoted and in parentheses',
      smtpError('550 5.7.1 "a@b.example" (c@d.example), e@f.example; relay denied', { responseCode: 550 }),
      '550 5.7.1 "[address]" ([address]), [address]; relay denied',
    ],
    [
      'an address with a colon after it',
      smtpError('550 5.1.1 x@y.example: no such user', { responseCode: 550 }),
      '550 5.1.1 [address]: no such user',
    ],
  ])('%s', (_, error, expected) => {
    expect(describeSmtpFailure(error)).toBe(expected);
  });

  it('leaves a reply without an address as it is', () => {
    expect(describeSmtpFailure(smtpError('Connection timeout', { code: 'ETIMEDOUT' }))).toBe('Connection timeout');
  });

  it('leaves no part of an address that the length limit would cut', () => {
    const long = `550 ${'x'.repeat(990)} ${'local'.repeat(10)}@example.org`;
    const described = describeSmtpFailure(smtpError(long, { responseCode: 550 }));
    expect(described).not.toContain('local');
    expect(described.length).toBeLessThanOrEqual(1000);
  });

  it('takes time linear in the reply, even for long runs without boundaries or of "@"', () => {
    for (const text of ['a'.repeat(200_000), '@'.repeat(200_000), 'a@'.repeat(100_000), `${'a'.repeat(99_999)}@`]) {
      expect(redactAddresses(text).length).toBeLessThanOrEqual(text.length);
    }
  });
});
