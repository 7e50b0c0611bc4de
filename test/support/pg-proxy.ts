import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy of the test's own in front of the real Postgres, which the test can cut: the app sees its database go
 * away (open connections reset, new ones refused) while the machine's Postgres keeps running for everyone else.
 */
export class PgProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private port = 0;
  /** While set, new connections are accepted and never answered: a database behind a network partition. */
  private silent = false;

  private constructor(
    private readonly target: { host: string; port: number },
    private readonly database: URL,
  ) {}

  /** A proxy to the Postgres of `databaseUrl`, listening on a free port of 127.0.0.1. */
  static async start(databaseUrl: string): Promise<PgProxy> {
    const url = new URL(databaseUrl);
    const proxy = new PgProxy({ host: url.hostname, port: Number(url.port || 5432) }, url);
    await proxy.open();
    return proxy;
  }

  /** The database URL, through the proxy. */
  get url(): string {
    const url = new URL(this.database);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  /** Listens again (on the same port after a cut), forwarding each connection to Postgres. */
  async open(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => {
      if (this.silent) {
        this.sockets.add(client);
        client.on('close', () => this.sockets.delete(client));
        client.on('error', () => undefined);
        return;
      }
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined); // a reset is what a cut means
      }
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /**
   * Postgres stops answering without refusing anything: open connections are reset, new ones are accepted and
   * left silent, until `answer()`.
   */
  silence(): void {
    this.silent = true;
    for (const socket of this.sockets) socket.destroy();
  }

  answer(): void {
    this.silent = false;
    for (const socket of this.sockets) socket.destroy();
  }

  /** Postgres goes away: open connections are reset and new ones refused, until `open()`. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
