import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { releaseLargeWork } from '../core/memory';
import { SEALED_BYTES_OVERHEAD } from '../core/privacy/envelope';
import { JobName, QueueName } from '../core/queue/jobs';
import { PersonalData } from '../core/privacy/personal-data.service';
import { OutboxService } from '../core/queue/outbox.service';
import { InboundChannel, InboundStatus } from './inbound-message.entity';
import { contentHash, headerValue, messageIdOf, parseHeaders, splitMessage } from './raw-message';

const ADDRESS = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

const INSERT_INBOUND = `INSERT INTO inbound_messages (channel, raw, size_bytes, content_hash, message_id, envelope_from,
                         envelope_to, status, reason, processed_at, subject_id)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $10::boolean THEN now() END, $11)`;

export interface InboundEnvelope {
  /** SMTP MAIL FROM: '' for the null sender `<>`, null when the channel has no envelope. */
  from: string | null;
  to: string[];
}

export interface StoredInbound {
  id: string;
  status: InboundStatus.Stored | InboundStatus.Duplicate | InboundStatus.Quarantined;
}

/**
 * Keeps every inbound message exactly as received (sealed under its sender's data subject: the From address, else
 * the envelope's), before anyone is told it was accepted. A message already
 * stored (same Message-ID, same content) is kept as a duplicate and not parsed again; a different message that
 * reuses a Message-ID is a message of its own.
 */
@Injectable()
export class InboundStoreService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly vault: PersonalData,
  ) {}

  async store(channel: InboundChannel, raw: Buffer, envelope: InboundEnvelope): Promise<StoredInbound> {
    return this.insert(channel, raw, envelope, (m, subjectId) => this.vault.sealBuffer(m, subjectId, raw));
  }

  /**
   * store() for a message that lies after SEALED_BYTES_OVERHEAD bytes of room in `room` (the SMTP listener copies
   * it there as it arrives): it is sealed where it lies, and `room` is not to be read as plaintext afterwards.
   */
  async storeSealingInPlace(channel: InboundChannel, room: Buffer, envelope: InboundEnvelope): Promise<StoredInbound> {
    return this.insert(channel, room.subarray(SEALED_BYTES_OVERHEAD), envelope, (m, subjectId) =>
      this.vault.sealBufferInPlace(m, subjectId, room),
    );
  }

  /**
   * Keeps a record of a message that is not to be parsed (one too large to take in full): `stub` stands in for the
   * raw message (its headers, say) and the row is quarantined with `reason` at once, never queued for the parser.
   * A second copy of the same stub (two pollers racing) is kept as a duplicate, as store() does.
   */
  async storeQuarantined(
    channel: InboundChannel,
    stub: Buffer,
    envelope: InboundEnvelope,
    reason: string,
  ): Promise<StoredInbound> {
    return this.insert(channel, stub, envelope, (m, subjectId) => this.vault.sealBuffer(m, subjectId, stub), reason);
  }

  private async insert(
    channel: InboundChannel,
    raw: Buffer,
    envelope: InboundEnvelope,
    seal: (m: EntityManager, subjectId: string) => Promise<Buffer>,
    quarantine?: string,
  ): Promise<StoredInbound> {
    const headers = parseHeaders(splitMessage(raw).head);
    const messageId = messageIdOf(headers) ?? null;
    const from = headerValue(headers, 'from') ?? '';
    // The address in angle brackets where there is one: a display name may itself look like an address.
    const sender = (/<([^<>]+)>/.exec(from)?.[1] ?? from).match(ADDRESS)?.[0] ?? (envelope.from || null);
    const hash = contentHash(raw);
    const size = raw.length;
    return this.dataSource.transaction(async (m) => {
      const subjectId = await this.vault.subject(m, sender);
      const sealedRaw = await seal(m, subjectId);
      // The cipher's slices go before the driver makes its own copies of the message.
      releaseLargeWork(size);
      const sealedFrom = await this.vault.seal(m, subjectId, envelope.from);
      const row = (status: InboundStatus, reason: string | null) => [
        channel,
        sealedRaw,
        size,
        hash,
        messageId,
        sealedFrom,
        envelope.to,
        status,
        reason,
        status === InboundStatus.Quarantined,
        subjectId,
      ];
      const status = quarantine !== undefined ? InboundStatus.Quarantined : InboundStatus.Stored;
      // Kept as the original unless one is already there: the unique dedupe index (one original per Message-ID and
      // content) makes a concurrent store of the same message wait for this one, then find it. A message with no
      // Message-ID is never a duplicate (NULLs do not conflict).
      const [kept] = await m.query<{ id: string }[]>(
        `${INSERT_INBOUND} ON CONFLICT (message_id, content_hash) WHERE status <> 'duplicate' DO NOTHING RETURNING id`,
        row(status, quarantine ?? null),
      );
      if (kept) {
        if (status === InboundStatus.Stored) {
          await this.outbox.enqueue(m, [
            { queue: QueueName.Inbound, name: JobName.ParseInbound, data: { inboundId: kept.id } },
          ]);
        }
        return { id: kept.id, status };
      }
      const [original] = await m.query<{ id: string }[]>(
        `SELECT id FROM inbound_messages WHERE message_id = $1 AND content_hash = $2 AND status <> 'duplicate'`,
        [messageId, hash],
      );
      const [duplicate] = await m.query<{ id: string }[]>(
        `${INSERT_INBOUND} RETURNING id`,
        row(InboundStatus.Duplicate, `duplicate of ${original?.id ?? 'a message no longer kept'}`),
      );
      return { id: duplicate.id, status: InboundStatus.Duplicate };
    });
  }
}
