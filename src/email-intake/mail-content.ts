import type { AttachmentCommon } from 'mailparser';
import {
  type AttachmentUse,
  type Mail,
  PARSE_LIMITS,
  type ParseBudget,
  parseMail,
  QuarantineError,
} from './parse-budget';

const TEXT_ATTACHMENT = /\.(txt|text)$/i;
const EML_ATTACHMENT = /\.eml$/i;

/**
 * A file sent with a notice, kept as evidence by its size, hash and place in the raw message: its bytes are there
 * already, sealed and kept as long as the message, so a second copy would only be a second copy of personal data.
 */
export interface EvidenceInput {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  /** Its MIME part id, after those of the forwarded messages it is inside ('' for a message that is one part). */
  part: string[];
}

/** Text and forwarded messages are read into the notice; any other attachment is only hashed as it goes by. */
export function attachmentUse(a: Pick<AttachmentCommon, 'contentType' | 'filename'>): AttachmentUse {
  return isMessage(a) || isText(a) ? 'read' : 'digest';
}

function isMessage(a: Pick<AttachmentCommon, 'contentType' | 'filename'>): boolean {
  return a.contentType.toLowerCase() === 'message/rfc822' || EML_ATTACHMENT.test(a.filename ?? '');
}

function isText(a: Pick<AttachmentCommon, 'contentType' | 'filename'>): boolean {
  return a.contentType.toLowerCase() === 'text/plain' || TEXT_ATTACHMENT.test(a.filename ?? '');
}

/**
 * The notice text (the plain part, or the HTML part as text), with text attachments and forwarded messages read
 * into it; every other attachment is evidence, kept with its size and hash. Each forwarded message is checked
 * against the message's budget (parts, bytes, time) before it is parsed; tripping it quarantines the message.
 */
export async function mailContent(
  mail: Mail,
  depth: number,
  budget: ParseBudget,
): Promise<{ text: string; evidence: EvidenceInput[] }> {
  const texts = [mail.text ?? ''];
  const evidence: EvidenceInput[] = [];
  for (const a of mail.attachments) {
    const name = a.filename ?? '';
    const part = a.partId ?? '';
    if (a.read && isMessage(a)) {
      if (depth + 1 > PARSE_LIMITS.maxForwardDepth)
        throw new QuarantineError(`forwarded messages nested deeper than ${PARSE_LIMITS.maxForwardDepth}`);
      const problem = budget.checkForwarded(a.content);
      if (problem) throw new QuarantineError(problem);
      const inner = await budget.parse(a.content, attachmentUse).catch((error: unknown) => {
        if (error instanceof QuarantineError) throw error;
        throw new QuarantineError(`could not parse a forwarded message: ${message(error)}`);
      });
      const read = await mailContent(inner, depth + 1, budget);
      texts.push(forwardedHeader(inner, name) + read.text);
      evidence.push(...read.evidence.map((e) => ({ ...e, part: [part, ...e.part] })));
    } else if (a.read && isText(a)) {
      texts.push(`----- Attached file${name ? ` ${name}` : ''} -----\n${a.content.toString('utf8')}`);
    } else if (!isInlineDecoration(a)) {
      evidence.push({
        filename: name || 'attachment',
        contentType: a.contentType.toLowerCase(),
        size: a.size,
        sha256: a.checksum,
        part: [part],
      });
    }
  }
  return { text: texts.filter((t) => t.trim() !== '').join('\n\n'), evidence };
}

/** An image the HTML part shows inline (a logo in a signature): neither text nor evidence. */
function isInlineDecoration(a: Pick<AttachmentCommon, 'related' | 'contentType'>): boolean {
  return a.related === true && a.contentType.startsWith('image/');
}

function forwardedHeader(mail: Mail, filename: string): string {
  const lines = [
    `----- Forwarded message${filename ? ` ${filename}` : ''} -----`,
    mail.from ? `From: ${mail.from.text}` : undefined,
    mail.date ? `Date: ${mail.date.toUTCString()}` : undefined,
    mail.subject ? `Subject: ${mail.subject}` : undefined,
  ];
  return `${lines.filter((l) => l !== undefined).join('\n')}\n\n`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The bytes of the evidence file at `part` of a raw message (see EvidenceInput.part), read from the message again;
 * undefined when the message has no such part.
 */
export async function evidenceBytes(raw: Buffer, part: readonly string[]): Promise<Buffer | undefined> {
  const [here, ...inside] = part;
  const wanted = (a: AttachmentCommon): boolean => (a.partId ?? '') === here;
  const mail = await parseMail(raw, (a) => (wanted(a) ? 'read' : 'digest'));
  const found = mail.attachments.find((a) => a.read && wanted(a));
  if (!found || inside.length === 0) return found?.content;
  return evidenceBytes(found.content, inside);
}
