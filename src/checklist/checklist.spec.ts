import {
  COUNTER_NOTICE_ELEMENTS,
  ELEMENT_LABELS,
  ElementName,
  StructuredNotice,
  TAKEDOWN_ELEMENTS,
  checkNotice,
  isValidEmail,
} from './index';

const COMPLETE: StructuredNotice = {
  complainant: { name: 'Jane Doe', email: 'jane@example.com', role: 'owner' },
  work: { description: 'My novel "The Long Road"' },
  infringingUrls: ['https://site.example/books/long-road.pdf'],
  searchTerms: ['long road pdf'],
  goodFaith: true,
  perjury: true,
  signature: 'Jane Doe',
};

const GOOD_FAITH =
  'I have a good faith belief that use of the copyrighted materials described above is not authorized by the copyright owner, its agent, or the law.';
const PERJURY =
  'I swear, under penalty of perjury, that the information in this notification is accurate and that I am the copyright owner, or am authorized to act on behalf of the owner.';
const LETTER = [
  'To whom it may concern,',
  '',
  'I am the author of the novel "The Long Road", published at https://author.example/long-road.',
  'An unauthorized copy is posted at https://site.example/books/long-road.pdf and it appears when searching for "long road pdf".',
  '',
  'You can reach me at jane@example.com or by phone at +1 555 123 4567.',
  '',
  GOOD_FAITH,
  '',
  PERJURY,
  '',
  'Sincerely,',
  '',
  'Jane Doe',
].join('\n');

const present = (text: string, element: ElementName): boolean | undefined =>
  checkNotice({ text, kindHint: 'takedown' }).elements[element]?.present;

describe('isValidEmail', () => {
  it.each(['a@b.co', 'jane.doe+dmca@example.com', 'x@mail.example.org', "o'brien@example.ie"])(
    'accepts %s',
    (email) => {
      expect(isValidEmail(email)).toBe(true);
    },
  );
  it.each([
    'a@b',
    'a b@c.com',
    '@c.com',
    'a@.com',
    'a@c.c',
    'a@c.123',
    'a@@c.com',
    'a@c..com',
    '.a@c.com',
    'a.@c.com',
    'a@-c.com',
    '',
    'plainaddress',
    'a@c.com ',
  ])('rejects %j', (email) => {
    expect(isValidEmail(email)).toBe(false);
  });
});

describe('structured notices', () => {
  it('is complete when every field is supplied', () => {
    const result = checkNotice({ structured: COMPLETE });
    expect(result).toMatchObject({ kind: 'takedown', missing: [], complete: true });
    expect(Object.keys(result.elements)).toEqual([...TAKEDOWN_ELEMENTS]);
    expect(result.elements.contact?.evidence).toEqual(['field complainant.email: jane@example.com']);
  });

  const without: [ElementName, StructuredNotice][] = [
    ['contact', { ...COMPLETE, complainant: { ...COMPLETE.complainant, email: undefined } }],
    ['work', { ...COMPLETE, work: { description: '  ' } }],
    ['infringing_material', { ...COMPLETE, infringingUrls: [] }],
    ['search_term', { ...COMPLETE, searchTerms: ['', '   '] }],
    ['good_faith', { ...COMPLETE, goodFaith: false }],
    ['signature', { ...COMPLETE, signature: 'J' }],
  ];
  it.each(without)('reports %s missing', (element, structured) => {
    const result = checkNotice({ structured });
    expect(result.missing).toEqual([element]);
    expect(result.complete).toBe(false);
  });

  it('reports perjury missing, and authority with it when the role does not supply it', () => {
    expect(checkNotice({ structured: { ...COMPLETE, perjury: false } }).missing).toEqual(['perjury']);
    const agent = { ...COMPLETE, perjury: false, complainant: { ...COMPLETE.complainant, role: 'agent' as const } };
    expect(checkNotice({ structured: agent }).missing).toEqual(['authority', 'perjury']);
    expect(
      checkNotice({ structured: { ...agent, complainant: { ...agent.complainant, ownerName: 'Acme Ltd' } } }).missing,
    ).toEqual(['perjury']);
  });

  it.each(['a@b', 'a b@c.com', '@c.com', 'jane@example'])('does not take the invalid email %j as contact', (email) => {
    const result = checkNotice({ structured: { ...COMPLETE, complainant: { ...COMPLETE.complainant, email } } });
    expect(result.missing).toEqual(['contact']);
  });

  it('lists missing elements in list order', () => {
    const result = checkNotice({ structured: { infringingUrls: ['https://site.example/x'] } });
    expect(result.missing).toEqual([
      'authority',
      'contact',
      'work',
      'search_term',
      'good_faith',
      'perjury',
      'signature',
    ]);
  });

  it('combines structured fields with free text, keeping evidence from both', () => {
    const result = checkNotice({
      structured: { infringingUrls: ['https://site.example/x'], signature: 'Jane Doe' },
      text: LETTER,
    });
    expect(result.complete).toBe(true);
    expect(result.elements.signature?.evidence[0]).toBe('field signature: Jane Doe');
    expect(result.elements.signature?.evidence.length).toBeGreaterThan(1);
  });
});

describe('evidence size', () => {
  it('quotes the first 5 structured URLs and counts the rest in one summary entry', () => {
    const urls = Array.from({ length: 10_000 }, (_, i) => `https://site.example/d/${i}`);
    const result = checkNotice({ structured: { ...COMPLETE, infringingUrls: [...urls, '  '] } });
    expect(result.elements.infringing_material).toEqual({
      present: true,
      evidence: [
        ...urls.slice(0, 5).map((u) => `field infringingUrls: ${u}`),
        'field infringingUrls: … and 9995 more URLs (10000 in all)',
      ],
    });
    expect(JSON.stringify(result).length).toBeLessThan(2_000);
  });

  it('quotes every URL when there are at most 5, and caps search terms the same way', () => {
    const urls = Array.from({ length: 5 }, (_, i) => `https://site.example/d/${i}`);
    expect(checkNotice({ structured: { infringingUrls: urls } }).elements.infringing_material?.evidence).toEqual(
      urls.map((u) => `field infringingUrls: ${u}`),
    );
    const terms = ['a', 'b', 'c', 'd', 'e', 'f'];
    expect(checkNotice({ structured: { ...COMPLETE, searchTerms: terms } }).elements.search_term?.evidence).toEqual([
      ...terms.slice(0, 5).map((t) => `field searchTerms: ${t}`),
      'field searchTerms: … and 1 more search term (6 in all)',
    ]);
  });

  it('cuts a huge quoted answer to a verbatim prefix', () => {
    const urls = Array.from({ length: 10_000 }, (_, i) => `https://site.example/d/${i}`);
    const text = `**Identify the material that you allege is infringing:**\n\n${urls.join(' ')}\n`;
    const evidence = checkNotice({ text, kindHint: 'takedown' }).elements.infringing_material?.evidence ?? [];
    expect(evidence.length).toBeGreaterThan(0);
    for (const e of evidence) {
      expect(e.length).toBeLessThanOrEqual(2_000);
      expect(text.includes(e)).toBe(true);
      expect(e.endsWith(' ')).toBe(false);
    }
  });
});

describe('free text', () => {
  it('finds every element in a plain letter, with verbatim evidence', () => {
    const result = checkNotice({ text: LETTER });
    expect(result).toMatchObject({ kind: 'takedown', missing: [], complete: true });
    for (const element of TAKEDOWN_ELEMENTS) {
      for (const e of result.elements[element]?.evidence ?? []) expect(LETTER.includes(e)).toBe(true);
    }
  });

  const variants: [string, string][] = [
    ['CRLF line ends', LETTER.replace(/\n/g, '\r\n')],
    ['non-breaking spaces', LETTER.replace(/ /g, '\u00a0')],
    [
      'Markdown bold, headings, quotes and bullets',
      LETTER.split('\n')
        .map((l, i) => (l === '' ? l : ['> ', '## ', '- ', '* ', ''][i % 5] + (i % 2 ? `**${l}**` : l)))
        .join('\n'),
    ],
    ['hard-wrapped lines', LETTER.replace(/(.{40,60}?) /g, '$1\n')],
  ];
  it.each(variants)('copes with %s', (_name, text) => {
    const result = checkNotice({ text });
    expect(result.missing).toEqual([]);
    for (const element of TAKEDOWN_ELEMENTS) {
      for (const e of result.elements[element]?.evidence ?? []) expect(text.includes(e)).toBe(true);
    }
  });

  const body = LETTER.slice(0, LETTER.indexOf('Sincerely,'));
  it.each([
    ['/s/ Name', `${body}/s/ Jane Doe`, true],
    ['Signed:', `${body}Signed: Jane Doe`, true],
    ['Regards and a redaction', `${body}Regards,\n\n[private]`, true],
    ['a redaction alone closing the letter', `${body}[private]\nManaging Director`, true],
    [
      'signature prompt answered',
      `${body}**Please type your full legal name below to sign this request:**\n\nJane Doe`,
      true,
    ],
    [
      'signature prompt answered [private]',
      `${body}**Please type your full legal name below to sign this request:**\n[private]`,
      true,
    ],
    ['signature prompt unanswered', `${body}**Please type your full legal name below to sign this request:**\n`, false],
    ['a thank-you for their help, then a name', `${body}Thank you for your help with this matter.\n\nJane Doe`, true],
    [
      'a closing sentence ending "and thanks again"',
      `${body}We look forward to your reply, and thanks again.\n\n[private]`,
      true,
    ],
    [
      'a redacted name over a job title, no valediction',
      `${body}[private]\nLicensing Manager\n\nPlease reply within ten days.`,
      true,
    ],
    ['a thank-you with nothing after it', `${body}Thanks for your time.\n`, false],
    ['"Undersigned," and a redaction', `${body}Undersigned,\n\n[private]\nAcme Ltd`, true],
    ['"Signed this ... day of ..." over a name', `${body}Signed this 3rd day of May, 2024.\n\nJane Doe`, true],
    ['"Signature of applicant:"', `${body}Signature of applicant: [private]`, true],
    ['"Electronic Signature." and a quoted redaction', `${body}Electronic Signature. "[private]"`, true],
    ['the double-slash form', `${body}//[private]//\n\nPlease reply soon.`, true],
    ['valediction and name on one line', `${body}Thanks, [private]`, true],
    ['a numbered "Signed - name" item', `${body}7. Signed - Jane Doe`, true],
    ['"Signature information:" answered', `${body}Signature information:\n[private]`, true],
    ['a name with a parenthetical', `${body}Best regards,\n[private] ([private])\nEmail: [private]`, true],
    [
      'a redacted name heading the closing contact block',
      `${body}Please act on this promptly and let us know once it is done.\n\n[private]\n[private]\nPhone: [private]\nAddress: [private]`,
      true,
    ],
    ['a redaction under "Contact information:"', `${body}Contact information:\n\n[private]\nPhone: [private]`, false],
    [
      'a statutory list item answered',
      `${body}8. An electronic signature of the copyright owner.\n\n[private]\nAcme Ltd`,
      true,
    ],
    ['"Truthfully," and a redaction', `${body}Truthfully,\n\n[private]\n\n[private]\nAcme LLP`, true],
    [
      "the answer on a bold prompt's own line",
      `${body}**Please type your full legal name below to sign this request:** [private]`,
      true,
    ],
    [
      'a bold prompt with nothing on its line or under it',
      `${body}**Please type your full legal name below to sign:**`,
      false,
    ],
    [
      'a signature heading over a rule and a redaction',
      `${body}9. Electronic signature\n______\n[private]\nDate: [private]`,
      true,
    ],
    ['a signature heading over an empty rule', `${body}9. Electronic signature\n______\nDate: [private]`, false],
    [
      'a redaction over the address, straight after the statements',
      `${body.trimEnd()}\n\n[private]\nAcme Inc., 2021 7th Ave, Seattle, WA 98121\n[private]`,
      true,
    ],
    [
      'an address alone after the statements',
      `${body.trimEnd()}\n\nAcme Inc., 2021 7th Ave, Seattle, WA 98121\n[private]`,
      false,
    ],
    ['valediction with nothing after it', `${body}Truthfully,\n`, false],
    ['no closing at all', body, false],
  ])('signature: %s', (_name, text, expected) => {
    expect(present(text, 'signature')).toBe(expected);
  });

  it.each([
    ['email', 'Email: jane@example.com', true],
    ['redacted phone', 'Phone: [private]', true],
    ['address block', 'Acme Ltd\n200 South Wacker Drive, Suite 2900\nChicago, IL 60606', true],
    [
      'form answer',
      '**So that we can get back to you, please provide either your telephone number or physical address:**\n[private]',
      true,
    ],
    ['a bare name', 'Jane Doe', false],
    ['an abbreviated label with a dot', 'tel.: [private]', true],
    [
      'an email asked for on the next line',
      'If you wish to contact me further please send an email back to\n[private].',
      true,
    ],
    ['a named person and where to reach them', 'Contact [private] at [private] or [private].', true],
    ['"my details" over the details', 'Here are my details\n[private]', true],
    ['"my details" with nothing under them', 'I can give you my details if needed.', false],
    ['"contact" and a name, but nowhere to reach them', 'Contact Jane Doe at your convenience.', false],
    [
      'redactions under an invitation to get in touch',
      'Should you have questions, please contact me directly.\n\nThank you.\n\n[private]\n\n[private]',
      true,
    ],
    [
      'an invitation with only the name redacted under it',
      'Please contact me if anything is unclear.\n\n[private]',
      false,
    ],
    [
      "the infringer's email only",
      "**Do you have the alleged infringer's contact information? If so, please provide it:**\nbad@infringer.example",
      false,
    ],
  ])('contact: %s', (_name, snippet, expected) => {
    expect(present(`${GOOD_FAITH}\n\n${snippet}\n\n${PERJURY}`, 'contact')).toBe(expected);
  });

  it.each([
    ['Search terms: X, Y', 'Search terms: long road, long road pdf', true],
    ['Search term(s):', 'Search term(s): long road', true],
    ['appears when searching', 'It appears when searching for "long road pdf".', true],
    ['searching your site', 'I found it by searching your site for long road epub.', true],
    ['none given', 'It is on your site.', false],
    ['empty label', 'Search terms:\n', false],
  ])('search term: %s', (_name, snippet, expected) => {
    expect(present(snippet, 'search_term')).toBe(expected);
  });

  it.each([
    ['I am the copyright owner', 'I am the copyright owner of this book.', true],
    ['agent for a named owner', 'I am authorized to act on behalf of Acme Ltd, the copyright owner.', true],
    ['we represent', 'We represent Acme Ltd in intellectual property matters.', true],
    [
      'form answer yes',
      "**Are you the copyright owner or authorized to act on the copyright owner's behalf?**\nYes",
      true,
    ],
    [
      'form answer no',
      "**Are you the copyright owner or authorized to act on the copyright owner's behalf?**\nNo",
      false,
    ],
    ['owned by the company, in the passive', 'The configuration files are all owned by the company.', true],
    ['owned by someone else', 'The project is owned by a third party.', false],
    ['contacting you on behalf of', 'I am contacting you on behalf of Acme Films S.A. about a film.', true],
    ['we currently represent', 'We currently represent Acme Ltd with regard to its rights online.', true],
    ['our company owns', 'This is a copy of the work our company owns in its entirety.', true],
    ['an agency for its client', 'The content is premium content created and copyrighted by our client.', true],
    [
      'the form answered on the prompt line',
      "**Are you the copyright owner or authorized to act on the copyright owner's behalf?** Yes, I am authorized.",
      true,
    ],
    ['nothing about authority', 'Please remove this file.', false],
  ])('authority: %s', (_name, text, expected) => {
    expect(present(text, 'authority')).toBe(expected);
  });
});

describe('work and removed material, as senders write them', () => {
  it.each([
    ['what the sender makes and sells', 'Acme develops, supports and sells a plugin for online shops.', true],
    ['our extension', 'The fork includes our commercial extension without a licence.', true],
    ['a copyrighted version of a product', 'The repository holds a copyrighted version of the Acme+ product.', true],
    ['a copy of private code', 'This repo is a copy of private code posted without permission.', true],
    ['the work in question is', 'The work in question is content held on the page below.', true],
    ['proprietary to its owner', 'These files are confidential and proprietary to Acme Bank.', true],
    ['code titled', 'Original software code titled "acme-mobile" was copied.', true],
    [
      'a labelled "Original Work Infringed:"',
      'Original Work Infringed:\nAdvanced Widgets, 3rd Edition, J. Smith',
      true,
    ],
    [
      'the content in question is',
      'The copyright protected content in question is a set of interview questions.',
      true,
    ],
    ['created and owned solely by', 'The questions were created and owned solely by Acme.', true],
    ['proprietary and confidential', 'The following repositories are proprietary and confidential.', true],
    ['rights to copyrighted code', 'Acme is the owner of exclusive rights to copyrighted computer code.', true],
    [
      'a back-reference is not a description',
      'This is the material that is infringing the copyrighted software.',
      false,
    ],
    [
      'answered on the prompt line',
      '**Please provide a detailed description of the original copyrighted work.** Our billing engine source code.',
      true,
    ],
    ['nothing about the work', 'Please take this down as soon as you can.', false],
  ])('work: %s', (_name, text, expected) => {
    expect(present(text, 'work')).toBe(expected);
  });

  const statements =
    'I swear, under penalty of perjury, that I have a good-faith belief that the material was removed or disabled as a result of a mistake or misidentification.';
  it.each([
    [
      'consent to jurisdiction and to accept service',
      'I consent to the jurisdiction of the Federal District Court, and I will accept service of process from the complainant.',
      true,
    ],
    [
      'consent to jurisdiction and to service by the complainant',
      'I consent to the jurisdiction of the Federal District Court in my district. I also consent to service by the person providing notification.',
      true,
    ],
    ['consent to jurisdiction without service', 'I consent to the jurisdiction of the Federal District Court.', false],
    ['service without consent to jurisdiction', 'I will accept service of process from the complainant.', false],
  ])('consent: %s', (_name, text, expected) => {
    const result = checkNotice({ text: `${statements}\n\n${text}`, kindHint: 'counter_notice' });
    expect(result.elements.consent_jurisdiction?.present).toBe(expected);
  });

  it.each([
    ['the removed repository by URL', 'My repository https://github.com/jdoe/tool was disabled.', true],
    [
      'only the licence page it was released under',
      'The code was released to my forum under a GPL 3 license as per this page:\n\nhttps://forum.example/threads/tool.12/\n\nIt was shared in our public repository.',
      false,
    ],
  ])('removed material: %s', (_name, text, expected) => {
    const result = checkNotice({ text: `${text}\n\n${statements}`, kindHint: 'counter_notice' });
    expect(result.elements.removed_material?.present).toBe(expected);
  });
});

describe('good-faith statements, as senders write them', () => {
  it.each([
    [
      'none of the materials has been authorized',
      'I have a good faith belief that none of the materials listed above has been authorized by Acme, its agents or the law.',
      true,
    ],
    [
      'accuracy first, then the use',
      'I have a good faith belief that the information in the notice is correct and that the use of the titles above is not authorized by Acme, its agent, or the law.',
      true,
    ],
    ['accuracy only', 'I have a good faith belief that the information in this notice is accurate.', false],
    [
      'firmly believe',
      'I firmly believe that the use of the above copyrighted material on the infringing web pages is not authorized by the copyright owner.',
      true,
    ],
    [
      'a non-breaking hyphen',
      'I have a good\u2011faith belief that use of the materials is not authorized by the copyright owner, or its agent, or the law.',
      true,
    ],
    [
      'to the best of my knowledge',
      'I declare that to the best of my knowledge that use of the copyrighted materials described above is not authorized by the copyright owner.',
      true,
    ],
    [
      'across a URL paragraph',
      'I have a good faith belief that the website(s)\n\nURL: https://site.example/x\n\noffer materials that are not authorized by the IP owner, its agent, or the law.',
      true,
    ],
    // Plainer wordings of the belief, from takedowns GitHub acted on (tune-4.jsonl), reworded.
    [
      'a plain belief about the use',
      'I believe that the accused use was not authorized by the copyright owner, their agent, or the law.',
      true,
    ],
    [
      'a belief about the use after a first clause',
      'I have taken fair-use considerations into account and believe this use is not permitted.',
      true,
    ],
    [
      'firmly believe, without our authorization',
      'We firmly believe the contents are being published without our authorization.',
      true,
    ],
    [
      'a reasonable belief',
      'We have a reasonable belief that the use of the titles listed above is not licensed by Acme or the law.',
      true,
    ],
    ['a bona fide belief', 'I hold a bona fide belief that this use is unauthorized.', true],
    ['a belief that the forks infringe is not one', 'I believe that all or most of the forks are infringing.', false],
    [
      'a belief about the notice is not one',
      'We believe this information is sufficient to locate the material.',
      false,
    ],
    [
      'the reader’s belief is not the sender’s',
      'Please tell us if you believe that the use of the files is not authorized by the owner.',
      false,
    ],
    [
      'a plain belief with nothing unauthorised',
      'I believe that the use of the code shows it was copied from our repository.',
      false,
    ],
  ])('good faith: %s', (_name, text, expected) => {
    expect(present(text, 'good_faith')).toBe(expected);
  });
});

/** The plainer beliefs in a whole letter: read there, and absent once cut out or only quoted by a form's question. */
describe('ablations of the plainer good-faith beliefs', () => {
  const withBelief = (belief: string): string => LETTER.replace(GOOD_FAITH, belief);
  const QUESTION =
    '**Do you believe that the use of the copyrighted materials described above is not authorized by the copyright owner, its agent, or the law?**';
  it.each([
    'I believe that the accused use was not authorized by the copyright owner, their agent, or the law.',
    'I have taken fair-use considerations into account and believe this use is not permitted.',
    'We firmly believe the contents are being published without our authorization.',
    'We have a reasonable belief that the use of the titles listed above is not licensed by Acme or the law.',
  ])('%s', (belief) => {
    expect(LETTER).toContain(GOOD_FAITH);
    expect(present(withBelief(belief), 'good_faith')).toBe(true);
    expect(present(withBelief(''), 'good_faith')).toBe(false);
    expect(present(withBelief(QUESTION), 'good_faith')).toBe(false);
  });
});

describe('traps: quoted statements are not the sender’s statements', () => {
  it.each([
    [
      'GitHub questionnaire question, no answer',
      `**Do you have a good faith belief that use of the copyrighted materials described above is not authorized by the copyright owner, its agent, or the law?**\n\n`,
      false,
    ],
    [
      'GitHub questionnaire question, [no]',
      `Do you have a good faith belief that use of the copyrighted materials described above is not authorized by the copyright owner, its agent, or the law?\n\n[no]`,
      false,
    ],
    [
      'GitHub questionnaire question, Yes',
      `Do you have a good faith belief that use of the copyrighted materials described above is not authorized by the copyright owner, its agent, or the law?\n\nYes`,
      true,
    ],
    ['quoted instruction', `Please include the following statement: '${GOOD_FAITH}'`, false],
    ['instruction on the line above', `Your notice must include this statement:\n"${GOOD_FAITH}"`, false],
    [
      'instruction then the answer',
      `Type (or copy and paste) the following statement: "${GOOD_FAITH}"\n\n=> ${GOOD_FAITH}`,
      true,
    ],
    ['bold affirmed form statement', `**${GOOD_FAITH}**`, true],
    [
      'a form question on a plain belief, no answer',
      '**Do you believe that the use of the materials is not authorized by the copyright owner, its agent, or the law?**\n\n',
      false,
    ],
    [
      'a quoted instruction with a plain belief',
      "Please include the following statement: 'I believe that the use of the materials is not authorized by the copyright owner.'",
      false,
    ],
    [
      'good faith about accuracy only',
      'Under penalty of perjury, I have a good faith belief that the information in this notice is accurate and infringed.',
      false,
    ],
  ])('good faith: %s', (_name, text, expected) => {
    expect(present(text, 'good_faith')).toBe(expected);
  });

  it.each([
    [
      'question without answer',
      '**Do you swear, under penalty of perjury, that the information in this notification is accurate?**\n\n',
      false,
    ],
    ['quoted instruction', `Please include the following statement: "${PERJURY}"`, false],
    ['the statement', PERJURY, true],
  ])('perjury: %s', (_name, text, expected) => {
    expect(present(text, 'perjury')).toBe(expected);
  });
});

describe('kind', () => {
  const counter = [
    'This is my counter notice.',
    '1. The removed material was at https://github.com/me/project',
    '2. I swear, under penalty of perjury, that I have a good-faith belief that the material was removed or disabled as a result of a mistake or misidentification of the material to be removed or disabled.',
    '3. I consent to the jurisdiction of Federal District Court for the judicial district in which my address is located, and I will accept service of process from the person who provided the notification.',
    '4. Name: Jane Doe, Address: [private], Phone: [private]',
    '',
    '/s/ Jane Doe',
  ].join('\n');

  it.each([
    ['a takedown letter', LETTER, 'takedown'],
    ['a counter-notice', counter, 'counter_notice'],
    [
      'a retraction',
      'Hello, we hereby retract our DMCA takedown notice for https://github.com/x/y and apologise for the error.\n\nRegards,\n[private]',
      'retraction',
    ],
    ['a withdrawal', 'I would like to withdraw my previous notice; we no longer request removal.', 'retraction'],
    ['a question', 'Hi, how do I file a notice with you?', 'other'],
    ['empty text', '', 'other'],
  ] as const)('recognises %s', (_name, text, kind) => {
    expect(checkNotice({ text }).kind).toBe(kind);
  });

  it('checks the counter-notice elements of a counter-notice', () => {
    const result = checkNotice({ text: counter });
    expect(Object.keys(result.elements)).toEqual([...COUNTER_NOTICE_ELEMENTS]);
    expect(result).toMatchObject({ missing: [], complete: true });
    const unsigned = checkNotice({ text: counter.replace('/s/ Jane Doe', '') });
    expect(unsigned.missing).toEqual(['signature']);
  });

  it('takes structured takedown fields as a takedown unless the hint says otherwise', () => {
    expect(checkNotice({ structured: { goodFaith: true }, text: 'Hello' }).kind).toBe('takedown');
    expect(checkNotice({ structured: { infringingUrls: ['https://x.example'] }, kindHint: 'retraction' }).kind).toBe(
      'retraction',
    );
  });

  it('has no elements and is never complete for retractions and others', () => {
    for (const kindHint of ['retraction', 'other'] as const) {
      expect(checkNotice({ structured: COMPLETE, kindHint })).toEqual({
        kind: kindHint,
        elements: {},
        missing: [],
        complete: false,
      });
    }
  });
});

describe('ELEMENT_LABELS', () => {
  it('has a title and how-to-supply text for every element', () => {
    const names = new Set<ElementName>([...TAKEDOWN_ELEMENTS, ...COUNTER_NOTICE_ELEMENTS]);
    expect(Object.keys(ELEMENT_LABELS).sort()).toEqual([...names].sort());
    for (const name of names) {
      expect(ELEMENT_LABELS[name].title.length).toBeGreaterThan(20);
      expect(ELEMENT_LABELS[name].howToSupply.length).toBeGreaterThan(20);
    }
    expect(ELEMENT_LABELS.perjury.title).toMatch(
      /accurate.*penalty of perjury.*authori[sz]ed to act on behalf of the owner/,
    );
  });
});

// Speed is measured by `npm run bench`, not asserted here: these machines are shared and noisy.
describe('large and hostile input', () => {
  it('checks a 200 KB notice and a backtracking trap (catastrophic backtracking would hit the test timeout)', () => {
    const big =
      `${LETTER}\n\n${'https://site.example/a/b/c some words here, and (more) "quoted" text: [private] 12345\n'.repeat(2500)}`.slice(
        0,
        200_000,
      );
    const hostile = `${'a'.repeat(100_000)}${' good faith '.repeat(5_000)}${'Do you '.repeat(5_000)}`;
    expect(checkNotice({ text: big }).kind).toBe('takedown');
    expect(checkNotice({ text: hostile }).elements.perjury?.present ?? false).toBe(false);
  });
});
