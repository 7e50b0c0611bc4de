import { createHash } from 'node:crypto';

/** The body of one API notice, as a sender would post it (the shape of CreateNoticeDto). */
export interface BenchNoticeBody {
  complainant: { name: string; company: string; email: string; phone: string; address: string; role: 'owner' };
  work: { description: string };
  infringingUrls: string[];
  searchTerms: string[];
  goodFaith: true;
  perjury: true;
  signature: string;
}

/** Short, stable, realistic-looking file ids: the same notice on every run and every machine. */
function fileId(kind: string, n: number, length: number): string {
  return createHash('sha256').update(`${kind}:${n}`).digest('base64url').slice(0, length);
}

function url(n: number): string {
  const slot = n % 100;
  // Mostly the site's own pages, then the disks pirates use most, then a few third-party hosts.
  if (slot < 70) return `https://example.com/d/${100_000 + n}`;
  if (slot < 85) return `https://example.com/software/app-${n}`;
  if (slot < 91) return `https://mega.nz/file/${fileId('mega', n, 8)}#${fileId('mega-key', n, 43)}`;
  if (slot < 95) return `https://drive.google.com/file/d/${fileId('drive', n, 33)}/view`;
  if (slot < 98) return `https://pan.baidu.com/s/1${fileId('baidu', n, 22)}`;
  return `https://warez-${n % 37}.example.net/thread/${n}`;
}

/** A complete structured takedown notice listing `count` distinct infringing URLs. */
export function benchNotice(count: number): BenchNoticeBody {
  return {
    complainant: {
      name: 'Jordan Avery',
      company: 'Northwind Software Ltd',
      email: 'legal@northwind.example.org',
      phone: '+44 20 7946 0958',
      address: '1 Canal Street, Manchester M1 3HE, United Kingdom',
      role: 'owner',
    },
    work: {
      description:
        'Northwind Studio 2026, our commercial desktop application, and its installers. Copies of the installer ' +
        'and licence-key generators are distributed through the pages and file links below without our permission.',
    },
    infringingUrls: Array.from({ length: count }, (_, i) => url(i)),
    searchTerms: ['Northwind Studio', 'Northwind Studio 2026 crack', 'northwind keygen'],
    goodFaith: true,
    perjury: true,
    signature: 'Jordan Avery',
  };
}

const LETTER = [
  'Dear Sir or Madam,',
  'I am the copyright owner of "Acme Studio 5" and am authorized to act on behalf of Acme Ltd.',
  'The original work is at https://acme-software.com/studio.',
  'I have a good faith belief that use of the copyrighted materials described above is not authorized by the copyright owner, its agent, or the law.',
  'I swear, under penalty of perjury, that the information in the notification is accurate and that I am the copyright owner or am authorized to act on behalf of the owner.',
  'Search terms: Acme Studio',
  'Contact: jane@acme-software.com, +1 415 555 0100',
  'Sincerely,',
  'Jane Roe',
].join('\n');

/** A complete notice as a letter, listing `count` infringing URLs, padded with prose to about `bytes`. */
export function letterWithUrls(count: number, bytes: number, first = 100000): string {
  const lines = Array.from(
    { length: count },
    (_, i) => `${i + 1}. The infringing copy at https://example.com/d/${first + i} (mirror https://mega.nz/file/${i}x)`,
  );
  let text = `${LETTER}\n\nThe infringing material is listed below:\n${lines.join('\n')}\n`;
  if (text.length < bytes) text += 'Further remarks follow. '.repeat(Math.ceil((bytes - text.length) / 24));
  return text;
}
