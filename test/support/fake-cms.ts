import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A site CMS for the webhook adapter that removes what it is asked to, slowly if told (`delayMs` per take_down), and
 * counts each ref's take_down calls: the first removes the link, a later one finds it removed already. It runs in the
 * test's process, so its counts outlive a worker that is killed.
 */
export class FakeCms {
  readonly calls = new Map<string, number>();
  readonly removed = new Set<string>();
  delayMs = 0;
  private readonly server: Server;

  constructor() {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const call = JSON.parse(body) as { action: string; refs?: string[] };
        void this.answer(call).then((answer) => {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
        });
      });
    });
  }

  private async answer(call: { action: string; refs?: string[] }): Promise<object> {
    const refs = call.refs ?? [];
    switch (call.action) {
      case 'find_outbound':
        return { links: [] };
      case 'take_down':
        if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
        for (const ref of refs) {
          this.calls.set(ref, (this.calls.get(ref) ?? 0) + 1);
          this.removed.add(ref);
        }
        return { results: Object.fromEntries(refs.map((r) => [r, 'done'])) };
      case 'status':
        return { live: refs.filter((r) => !this.removed.has(r)) };
      case 'search':
        return { pages: [] };
      default:
        return {};
    }
  }

  /** Refs asked to be taken down more than once (the first call removed them; the others changed nothing). */
  get repeated(): number {
    return [...this.calls.values()].filter((n) => n > 1).length;
  }

  async listen(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
