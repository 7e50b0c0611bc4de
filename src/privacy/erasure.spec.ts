import { ERASED } from '../core/privacy/personal-data.service';
import { scrub } from './erasure.service';

describe("scrub: a person taken out of someone else's words", () => {
  it.each([
    ['Called Lee Ann on +1 (555) 013-8842.', ['Lee Ann', '+1 (555) 013-8842'], `Called ${ERASED} on ${ERASED}.`],
    ['Lee slept through the annual review.', ['Lee'], `${ERASED} slept through the annual review.`],
    ['Write to ANN@EXAMPLE.ORG or ann@example.org', ['ann@example.org'], `Write to ${ERASED} or ${ERASED}`],
    ['张伟 的邮件 zhang@example.cn', ['zhang@example.cn'], `张伟 的邮件 ${ERASED}`],
    ['Annual, sleep, Leeds: none of them is Lee', ['Lee', 'Ann'], `Annual, sleep, Leeds: none of them is ${ERASED}`],
  ])('%s', (text, identifiers, expected) => {
    expect(scrub(text, identifiers)).toBe(expected);
  });
});
