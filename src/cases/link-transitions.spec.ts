import { errorAnswer } from '../core/http/error-answer';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LinkTransitionError } from './link-transitions';
import { LinkStatus } from './reported-link.entity';

const SRC = path.join(__dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(path.join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts')
        ? [path.join(dir, e.name)]
        : [],
  );
}

describe('the link door', () => {
  it('is the only source file that writes reported_links.status', () => {
    const writers = sources(SRC).filter((file) => {
      const text = readFileSync(file, 'utf8');
      return (
        /INSERT\s+INTO\s+reported_links\b/i.test(text) ||
        /UPDATE\s+reported_links\b(?:\s+\w+)?\s+SET\b[^`;]*?\bstatus\s*=/i.test(text)
      );
    });
    expect(writers.map((f) => path.relative(SRC, f))).toEqual([path.join('cases', 'link-transitions.ts')]);
  });

  it('names the refused link and the statuses a move is allowed from', () => {
    const error = new LinkTransitionError(LinkStatus.Restored, [
      { id: 'a', url: 'https://example.com/d/1', status: LinkStatus.Pending },
      { id: 'b', url: 'https://example.com/d/2', status: LinkStatus.Pending },
    ]);
    expect(errorAnswer(error)?.status).toBe(409);
    expect(error.message).toBe(
      'The link https://example.com/d/1 is pending and cannot be restored (nor 1 more); only a link that is taken_down can.',
    );
  });
});
