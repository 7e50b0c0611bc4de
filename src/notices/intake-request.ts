import type { NoticeChannel } from '../cases/notice.entity';
import type { StructuredNotice } from '../checklist';
import type { Locale } from '../core/i18n/locales';
import type { NoticeResponseDto } from './dto/notice-response.dto';

/** What intake is asked to record, from any channel, and what it answers. */

export interface IntakeRequest {
  channel: NoticeChannel;
  structured?: StructuredNotice;
  text?: string;
  /** The privacy notice the sender agreed to, where the channel asks for consent (the form does). */
  consent?: { privacyNotice: string };
  /** Idempotency-Key header and a hash of the body it came with. */
  idempotency?: { key: string; requestHash: string };
  /** For email: the stored message, its sender and authentication, and reasons to hold it for a person. */
  email?: EmailOrigin;
  /** The agency whose API key filed the notice; it may then read the case through that key. */
  agencyId?: string;
  /** That agency is a trusted flagger: the answer's link actions weigh it as the auto-action policy will. */
  agencyTrusted?: boolean;
  /** The language the sender named (the API's `language`, the form's language); otherwise it is detected. */
  language?: Locale;
}

export interface EmailOrigin {
  inboundMessageId: string;
  senderEmail: string;
  auth: object | null;
  flags: string[];
  /** A case reference the subject named, of a case this sender is not the complainant of: kept for staff. */
  namedReference?: string;
}

/** A reply threaded into an existing case. */
export interface RevisionRequest {
  text: string;
  email: EmailOrigin;
}

export interface RecordedNotice {
  caseId: string;
  noticeId: string;
  status: string;
  flags: string[];
  /** For a revision: whether the case was sent to the router again. */
  rerouted?: boolean;
}

export interface IntakeResult {
  response: NoticeResponseDto;
  /** True when an earlier request with the same Idempotency-Key already made this case. */
  replayed: boolean;
}
