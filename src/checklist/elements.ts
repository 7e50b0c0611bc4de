export const TAKEDOWN_ELEMENTS = [
  'authority',
  'contact',
  'work',
  'infringing_material',
  'search_term',
  'good_faith',
  'perjury',
  'signature',
] as const;
export const COUNTER_NOTICE_ELEMENTS = [
  'signature',
  'removed_material',
  'mistake_statement',
  'consent_jurisdiction',
  'contact',
] as const;
export type TakedownElement = (typeof TAKEDOWN_ELEMENTS)[number];
export type CounterNoticeElement = (typeof COUNTER_NOTICE_ELEMENTS)[number];
export type ElementName = TakedownElement | CounterNoticeElement;

/** Wording for deficiency letters: what is missing and how the sender can supply it. */
export const ELEMENT_LABELS: Record<ElementName, { title: string; howToSupply: string }> = {
  authority: {
    title: 'A statement that you own the copyright or are authorised to act on behalf of the owner',
    howToSupply:
      'Say whether you are the copyright owner or act for the owner; if you act for the owner, name the owner (for example "I am authorised to act on behalf of Example Ltd, the copyright owner").',
  },
  contact: {
    title: 'Your contact information: name, postal address, telephone number and a working email address',
    howToSupply:
      'Give your full name, postal address, telephone number and an email address at which we can reach you.',
  },
  work: {
    title: 'Identification of the copyrighted work you claim has been infringed',
    howToSupply:
      'Describe the original work (title, author, what it is) and, if it is published online, give a URL where the original can be seen.',
  },
  infringing_material: {
    title: 'Identification of the material you claim is infringing, with enough detail for us to locate it',
    howToSupply: 'List the full URL of each page or file on our site that you want removed, one per line.',
  },
  search_term: {
    title: 'A search term under which the material appears on our site',
    howToSupply:
      'Tell us at least one search term (word or phrase) that, entered in our site search, shows the material (for example "Search terms: example title").',
  },
  good_faith: {
    title:
      'A statement that you have a good faith belief that the use of the material is not authorised by the copyright owner, its agent, or the law',
    howToSupply:
      'Include this sentence: "I have a good faith belief that use of the material in the manner complained of is not authorized by the copyright owner, its agent, or the law."',
  },
  perjury: {
    title:
      'A statement that the information in the notice is accurate, and under penalty of perjury, that you are authorised to act on behalf of the owner',
    howToSupply:
      'Include this sentence: "I swear, under penalty of perjury, that the information in this notification is accurate and that I am the copyright owner, or am authorized to act on behalf of the owner, of an exclusive right that is allegedly infringed."',
  },
  signature: {
    title: 'Your physical or electronic signature',
    howToSupply: 'Sign the notice by typing your full legal name at the end (for example "/s/ Jane Doe").',
  },
  removed_material: {
    title: 'Identification of the material that was removed or disabled and where it appeared before removal',
    howToSupply: 'Give the URL(s) at which the material appeared before it was removed or disabled.',
  },
  mistake_statement: {
    title:
      'A statement under penalty of perjury that you have a good faith belief the material was removed or disabled as a result of mistake or misidentification',
    howToSupply:
      'Include this sentence: "I swear, under penalty of perjury, that I have a good faith belief that the material was removed or disabled as a result of a mistake or misidentification of the material to be removed or disabled."',
  },
  consent_jurisdiction: {
    title: 'Your consent to the jurisdiction of the Federal District Court and agreement to accept service of process',
    howToSupply:
      'Include this sentence: "I consent to the jurisdiction of the Federal District Court for the judicial district in which my address is located (or, if outside the United States, any judicial district in which the service provider may be found), and I will accept service of process from the person who provided the notification or an agent of such person."',
  },
};
