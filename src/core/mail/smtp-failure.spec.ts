import { classifySmtpFailure, describeSmtpFailure } from './smtp-failure';

function smtpError(message: string, fields: { responseCode?: number; code?: string; response?: string }): Error {
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
