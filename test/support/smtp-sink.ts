import { type ParsedMail, simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

export interface CapturedMail {
  envelope: { from: string; to: string[] };
  parsed: ParsedMail;
  raw: string;
}

/**
 * What the sink does with the next messages: accept them, refuse them for good (550) or for now (451), or read
 * the whole message and then never answer the DATA phase, as a server that hangs just before accepting does.
 * 'reject-rcpt' and 'tempfail-rcpt' refuse each recipient at RCPT TO (550, 451) with a reply that echoes the
 * address, as many real servers do.
 */
export type SinkMode = 'accept' | 'reject' | 'tempfail' | 'stall' | 'reject-rcpt' | 'tempfail-rcpt';

class SmtpReplyError extends Error {
  constructor(
    message: string,
    readonly responseCode: number,
  ) {
    super(message);
  }
}

/** A real SMTP server on a free port that captures what it accepts. A message counts as delivered only once answered 250. */
export class SmtpSink {
  readonly received: CapturedMail[] = [];
  /** Messages whose DATA the sink read and never answered (stall mode). */
  stalled = 0;
  /** The recipients of those messages, so a test can wait for its own letter to be the one held. */
  readonly stalledTo: string[] = [];
  /** Recipients refused at RCPT TO (the *-rcpt modes). */
  readonly rcptRefused: string[] = [];
  mode: SinkMode = 'accept';
  /** How long the sink reads an accepted message before it answers 250: a slow relay, for a test to kill mid-send. */
  acceptDelayMs = 0;
  private readonly waiting = new Set<(error: Error) => void>();
  private readonly server: SMTPServer;
  private port = 0;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: 1_000,
      onRcptTo: (address, _session, callback) => {
        const to = address.address;
        if (this.mode === 'reject-rcpt' || this.mode === 'tempfail-rcpt') this.rcptRefused.push(to.toLowerCase());
        if (this.mode === 'reject-rcpt') {
          return callback(new SmtpReplyError(`5.1.1 <${to}>: Recipient address rejected: ${to} unknown here`, 550));
        }
        if (this.mode === 'tempfail-rcpt') {
          return callback(new SmtpReplyError(`4.2.1 <${to}>: mailbox ${to} is busy, try later`, 451));
        }
        callback();
      },
      onData: (stream, session, callback) => {
        // A client that dies mid-DATA (a worker killed mid-send) ends the stream early: nothing was delivered.
        this.onData(stream, session, callback).catch(() => undefined);
      },
    });
    // A client that goes away uncleanly (a worker killed with SIGKILL) resets its connections: not the sink's error.
    this.server.on('error', () => undefined);
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** `port`: a port of the test's choosing, e.g. the one a stopped sink had, to bring "the relay" back. */
  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const fail of this.waiting) {
      try {
        fail(new SmtpReplyError('Shutting down', 421));
      } catch {
        /* the client has gone already */
      }
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The captured messages sent to `address`. */
  to(address: string): CapturedMail[] {
    return this.received.filter((m) => m.envelope.to.includes(address.toLowerCase()));
  }

  private async onData(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    callback: (error?: Error | null) => void,
  ): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    switch (this.mode) {
      case 'reject':
        return callback(new SmtpReplyError('5.1.1 Mailbox unavailable: no such user here', 550));
      case 'tempfail':
        return callback(new SmtpReplyError('4.3.0 Try again later', 451));
      case 'stall':
        this.stalled++;
        this.stalledTo.push(...session.envelope.rcptTo.map((r) => r.address.toLowerCase()));
        this.waiting.add(callback);
        return;
      case 'accept':
      case 'reject-rcpt': // a recipient accepted before the mode changed
      case 'tempfail-rcpt':
        if (this.acceptDelayMs > 0) await new Promise((r) => setTimeout(r, this.acceptDelayMs));
        this.received.push({
          envelope: {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          },
          parsed: await simpleParser(raw),
          raw,
        });
        return callback(null);
    }
  }
}
