import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { type MailConfig, mailConfig, type RateLimitConfig, rateLimitConfig } from '../core/config';
import { SharedRateLimiter } from '../core/http/shared-rate-limiter';
import { releaseLargeWork } from '../core/memory';
import { SEALED_BYTES_OVERHEAD } from '../core/privacy/envelope';
import { InboundChannel } from './inbound-message.entity';
import { InboundStoreService } from './inbound-store.service';
import { headerBlockBytes, receivedHeader } from './raw-message';

/** An SMTP reply: smtp-server answers an error's responseCode with its message. */
function smtpError(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}

/**
 * Receives mail relayed to the intake addresses (MX or a forwarding relay; no AUTH: anyone may send us a notice).
 * Answers 250 only once the raw message is committed; parsing happens afterwards in the worker.
 */
@Injectable()
export class SmtpListenerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SmtpListenerService.name);
  private server: SMTPServer | undefined;
  private readonly name = hostname();

  constructor(
    private readonly store: InboundStoreService,
    private readonly limiter: SharedRateLimiter,
    @Inject(mailConfig.KEY) private readonly config: MailConfig,
    @Inject(rateLimitConfig.KEY) private readonly limits: RateLimitConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { port, host, maxBytes, maxConnections, tls } = this.config.listener;
    if (port === 0) return;
    const accepted = new Set(this.config.inboundAddresses);
    this.server = new SMTPServer({
      name: this.name,
      banner: 'Takedown Desk intake',
      size: maxBytes,
      maxClients: maxConnections,
      authOptional: true,
      disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
      ...(tls ? { key: readFileSync(tls.key), cert: readFileSync(tls.cert) } : {}),
      logger: false,
      // A flood is refused before DATA with 451, so the sending server keeps the message and tries again later;
      // nothing of it is stored, and a message already answered 250 is never affected.
      onMailFrom: (address, session, callback) => {
        this.overLimit(session.remoteAddress, address.address).then(
          (wait) =>
            wait > 0 ? callback(smtpError(451, `4.7.1 Too many messages; try again in ${wait} seconds`)) : callback(),
          () => callback(),
        );
      },
      onRcptTo: (address, _session, callback) => {
        if (accepted.has(address.address.toLowerCase())) return callback();
        callback(smtpError(550, `5.1.1 <${address.address}>: no such intake address here`));
      },
      onData: (stream, session, callback) => this.receive(stream, session, callback),
    });
    this.server.on('error', (error: Error) => this.logger.error(`SMTP listener: ${error.message}`));
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(port, host, () => resolve());
    });
    this.logger.log(`SMTP intake listening on ${host}:${port}${tls ? ' (STARTTLS)' : ''}`);
  }

  /** Seconds the client or the envelope sender must wait (SMTP_RATE_LIMIT, SMTP_SENDER_RATE_LIMIT), else 0. */
  private async overLimit(client: string, sender: string): Promise<number> {
    const [byClient, bySender] = await Promise.all([
      this.limiter.hit('smtp-client', client || 'unknown', this.limits.smtpPerAddress, this.limits.windowMs),
      sender
        ? this.limiter.hit('smtp-sender', sender.toLowerCase(), this.limits.smtpPerSender, this.limits.windowMs)
        : Promise.resolve(0),
    ]);
    return Math.max(byClient, bySender);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private receive(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    callback: (err?: Error | null, message?: string) => void,
  ): void {
    const { maxBytes, maxHeaderBytes } = this.config.listener;
    const chunks: Buffer[] = [];
    let size = 0;
    let answered = false;
    // A stream error may be followed by 'end': the client gets one answer.
    const answer = (error: Error | null, message?: string): void => {
      if (answered) return;
      answered = true;
      if (message === undefined) callback(error);
      else callback(error, message);
    };
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    stream.on('error', (error: Error) => answer(smtpError(451, `4.3.0 Could not read the message: ${error.message}`)));
    stream.on('end', () => {
      if (stream.sizeExceeded || size > maxBytes) {
        this.logger.warn(`refused ${size} bytes from ${session.remoteAddress}: over ${maxBytes}`);
        return answer(smtpError(552, `5.3.4 Message too big: the limit is ${maxBytes} bytes`));
      }
      const mailFrom = session.envelope.mailFrom;
      const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
      const trace = Buffer.from(
        receivedHeader({
          helo: session.hostNameAppearsAs || 'unknown',
          clientHostname: session.clientHostname || session.remoteAddress,
          ip: session.remoteAddress,
          by: this.name,
          id: session.id,
          recipient: to.length === 1 ? to[0] : undefined,
          date: new Date(),
        }),
        'latin1',
      );
      // Our Received line and the message in one Buffer, after room to seal it in place, copied once; the chunks go
      // as soon as they are copied.
      const room = Buffer.allocUnsafe(SEALED_BYTES_OVERHEAD + trace.length + size);
      let at = trace.copy(room, SEALED_BYTES_OVERHEAD) + SEALED_BYTES_OVERHEAD;
      for (const chunk of chunks.splice(0)) at += chunk.copy(room, at);
      releaseLargeWork(size);
      const raw = room.subarray(SEALED_BYTES_OVERHEAD);
      // Refused before anything is stored or parsed: the client's own header block, not counting our Received line.
      const headerBytes = headerBlockBytes(raw.subarray(trace.length));
      if (headerBytes > maxHeaderBytes) {
        this.logger.warn(
          `refused a ${headerBytes}-byte header block from ${session.remoteAddress}: over ${maxHeaderBytes}`,
        );
        return answer(
          smtpError(552, `5.3.4 Header block too big: the limit is ${maxHeaderBytes} bytes (INBOUND_MAX_HEADER_BYTES)`),
        );
      }
      const bytes = raw.length;
      this.store
        .storeSealingInPlace(InboundChannel.Smtp, room, { from: mailFrom ? mailFrom.address : null, to })
        .then((stored) => {
          this.logger.log(`stored ${stored.id} (${stored.status}, ${bytes} bytes) from ${session.remoteAddress}`);
          answer(null, `2.0.0 Accepted as ${stored.id}`);
        })
        .finally(() => releaseLargeWork(bytes))
        .catch((error: unknown) => {
          this.logger.error(`could not store a message: ${error instanceof Error ? error.message : String(error)}`);
          answer(smtpError(451, '4.3.0 Temporary failure storing the message; try again later'));
        });
    });
  }
}
