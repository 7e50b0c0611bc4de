import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ImapFlow } from 'imapflow';
import { type MailConfig, mailConfig } from '../core/config';
import { InboundChannel } from './inbound-message.entity';
import { InboundStoreService } from './inbound-store.service';
import { headerBlockBytes } from './raw-message';

type ImapSettings = NonNullable<MailConfig['imap']>;

/** Messages taken per poll; the rest wait for the next one (which follows at once when a batch was full). */
const BATCH = 50;
/** Reconnect delays after a failed connection: doubling from the first to the last. */
const RECONNECT_FIRST_MS = 1_000;
const RECONNECT_MAX_MS = 60_000;

/** Why a message over INBOUND_MAX_BYTES was kept as its headers only; the message itself stays in the mailbox. */
export function overLimitReason(size: number, processedFolder: string): string {
  return `over INBOUND_MAX_BYTES (${size} bytes); left in the mailbox's processed folder (${processedFolder})`;
}

/** Why a message with a header block over INBOUND_MAX_HEADER_BYTES was kept whole but never parsed. */
export function overHeaderLimitReason(headerBytes: number, limit: number, processedFolder: string): string {
  return (
    `header block over INBOUND_MAX_HEADER_BYTES (${headerBytes} bytes, the limit is ${limit}); kept unparsed, ` +
    `and left in the mailbox's processed folder (${processedFolder})`
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Takes new mail from an IMAP mailbox (IMAP_HOST etc.; off when IMAP_HOST is unset): every IMAP_POLL_SECONDS, and
 * at once when the server announces new mail while the connection idles. Each message is stored raw and only then
 * moved to the processed folder, so a crash or a failed store leaves it in the folder to be taken again. A message
 * over INBOUND_MAX_BYTES is not downloaded: its headers are stored, quarantined with the reason, and the message
 * itself is moved to the processed folder like any other, where staff can find it. A message whose header block is
 * over INBOUND_MAX_HEADER_BYTES is stored whole but quarantined, never parsed.
 *
 * Several workers may poll the same mailbox. Two of them can fetch the same message before either moves it; both
 * store it, and InboundStoreService keeps the second copy as a duplicate (same Message-ID and content hash) that is
 * never parsed, so it still makes one notice. The move that loses the race finds the message gone and does nothing.
 */
@Injectable()
export class ImapPollerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ImapPollerService.name);
  private client: ImapFlow | undefined;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** Set when the server announced new mail; the next sleep is skipped. */
  private nudged = false;

  constructor(
    private readonly store: InboundStoreService,
    @Inject(mailConfig.KEY) private readonly config: MailConfig,
  ) {}

  onApplicationBootstrap(): void {
    const settings = this.config.imap;
    if (!settings) return;
    // Not awaited: an unreachable mailbox must not hold up the worker's boot; the loop retries on its own.
    this.loop = this.run(settings);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    this.client?.close();
    await this.loop;
  }

  private async run(settings: ImapSettings): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      const client = new ImapFlow({
        host: settings.host,
        port: settings.port,
        secure: settings.secure,
        auth: { user: settings.user, pass: settings.password },
        logger: false,
      });
      // Without a listener, a socket error would be thrown as an unhandled 'error' event and end the worker.
      client.on('error', (error: unknown) => this.logger.warn(`IMAP ${settings.host}: ${describe(error)}`));
      client.on('close', () => this.wake?.());
      client.on('exists', (event: { count: number; prevCount: number }) => {
        if (event.count <= event.prevCount) return;
        this.nudged = true;
        this.wake?.();
      });
      this.client = client;
      try {
        await client.connect();
        await client.mailboxCreate(settings.processedFolder); // answers created: false when it already exists
        this.logger.log(
          `polling ${settings.folder} on ${settings.host}:${settings.port} every ${settings.pollSeconds} s`,
        );
        failures = 0;
        while (!this.stopping && client.usable) {
          this.nudged = false;
          const full = await this.poll(client, settings);
          if (!full && !this.nudged) await this.sleep(settings.pollSeconds * 1000);
        }
      } catch (error) {
        if (!this.stopping) this.logger.error(`IMAP ${settings.host}: ${describe(error)}`);
      }
      this.client = undefined;
      await client.logout().catch(() => client.close());
      if (this.stopping) break;
      failures += 1;
      const delay = Math.min(RECONNECT_FIRST_MS * 2 ** (failures - 1), RECONNECT_MAX_MS);
      this.logger.warn(`IMAP ${settings.host}: reconnecting in ${delay / 1000} s`);
      await this.sleep(delay);
    }
  }

  /**
   * Stores and moves up to BATCH messages, oldest first. Resolves true when the batch was full (more may be waiting).
   * Connection errors are thrown to the caller; a message that could not be stored stays in the folder.
   */
  private async poll(client: ImapFlow, settings: ImapSettings): Promise<boolean> {
    const lock = await client.getMailboxLock(settings.folder);
    try {
      const found = await client.search({ all: true }, { uid: true });
      const uids = (found || []).sort((a, b) => a - b).slice(0, BATCH);
      for (const uid of uids) {
        if (this.stopping) break;
        // The size first: a message over the limit is never downloaded, only its headers are kept.
        const meta = await client.fetchOne(String(uid), { uid: true, size: true }, { uid: true });
        if (!meta) continue; // moved by another worker since the search
        const size = meta.size ?? 0;
        const tooLarge = size > this.config.listener.maxBytes;
        const message = await client.fetchOne(
          String(uid),
          tooLarge ? { uid: true, headers: true } : { uid: true, source: true },
          { uid: true },
        );
        const raw = tooLarge ? message && message.headers : message && message.source;
        if (!raw) continue; // moved by another worker since the size was read
        const refused = this.refusal(raw, size, tooLarge, settings.processedFolder);
        let stored;
        try {
          stored = refused
            ? await this.store.storeQuarantined(
                InboundChannel.Imap,
                refused.kept,
                { from: null, to: [] },
                refused.reason,
              )
            : await this.store.store(InboundChannel.Imap, raw, { from: null, to: [] });
        } catch (error) {
          // Most likely the database: leave this and the rest for the next poll.
          this.logger.error(`could not store IMAP message ${uid}; it stays in ${settings.folder}: ${describe(error)}`);
          return false;
        }
        // The key invariant: moved only once committed, so a message is never out of the folder and unstored.
        await client.messageMove(String(uid), settings.processedFolder, { uid: true });
        this.logger.log(`stored ${stored.id} (${stored.status}, ${size} bytes) from IMAP ${uid}`);
      }
      return uids.length === BATCH;
    } finally {
      lock.release();
    }
  }

  /**
   * What to keep of a message the parser must not see, and why; undefined when it may be parsed. Only the headers of
   * a message over INBOUND_MAX_BYTES were downloaded, and those are cut to INBOUND_MAX_HEADER_BYTES; a message within
   * it whose header block is over that limit is kept whole. Either way the message itself stays in the mailbox.
   */
  private refusal(
    raw: Buffer,
    size: number,
    tooLarge: boolean,
    processedFolder: string,
  ): { kept: Buffer; reason: string } | undefined {
    const { maxHeaderBytes } = this.config.listener;
    const headerBytes = headerBlockBytes(raw);
    if (tooLarge) {
      const reason = overLimitReason(size, processedFolder);
      return headerBytes > maxHeaderBytes
        ? {
            kept: raw.subarray(0, maxHeaderBytes),
            reason: `${reason}; its headers cut to the first ${maxHeaderBytes} bytes (INBOUND_MAX_HEADER_BYTES)`,
          }
        : { kept: raw, reason };
    }
    if (headerBytes > maxHeaderBytes) {
      return { kept: raw, reason: overHeaderLimitReason(headerBytes, maxHeaderBytes, processedFolder) };
    }
    return undefined;
  }

  /** Waits `ms`, or less when new mail arrives, the connection closes or the worker stops. */
  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
