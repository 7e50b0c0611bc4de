import type { Attachment, ParsedMail } from 'mailparser';
import { PARSE_LIMITS, type ParseBudget, QuarantineError } from './parse-budget';

const TEXT_ATTACHMENT = /\.(txt|text)$/i;
const EML_ATTACHMENT = /\.eml$/i;

/** A file sent with a notice, kept as evidence with its size and hash. */
export interface EvidenceInput {
  filename: string;
  contentType: string;
  content: Buffer;
}

/**
 * The notice text (the plain part, or the HTML part as text), with text attachments and forwarded messages read
 * into it; every other attachment is evidence, kept with its size and hash. Each forwarded message is checked
 * against the message's budget (parts, bytes, time) before it is parsed; tripping it quarantines the message.
 */
export async function mailContent(
  mail: ParsedMail,
  depth: number,
  budget: ParseBudget,
): Promise<{ text: string; evidence: EvidenceInput[] }> {
  const texts = [mail.text ?? ''];
  const evidence: EvidenceInput[] = [];
  for (const a of mail.attachments) {
    const name = a.filename ?? '';
    const type = a.contentType.toLowerCase();
    if (type === 'message/rfc822' || EML_ATTACHMENT.test(name)) {
      if (depth + 1 > PARSE_LIMITS.maxForwardDepth)
        throw new QuarantineError(`forwarded messages nested deeper than ${PARSE_LIMITS.maxForwardDepth}`);
      const problem = budget.checkForwarded(a.content);
      if (problem) throw new QuarantineError(problem);
      const inner = await budget.parse(a.content).catch((error: unknown) => {
        if (error instanceof QuarantineError) throw error;
        throw new QuarantineError(`could not parse a forwarded message: ${message(error)}`);
      });
      const read = await mailContent(inner, depth + 1, budget);
      texts.push(forwardedHeader(inner, name) + read.text);
      evidence.push(...read.evidence);
    } else if (type === 'text/plain' || TEXT_ATTACHMENT.test(name)) {
      texts.push(`----- Attached file${name ? ` ${name}` : ''} -----\n${a.content.toString('utf8')}`);
    } else if (!isInlineDecoration(a)) {
      evidence.push({ filename: name || 'attachment', contentType: type, content: a.content });
    }
  }
  return { text: texts.filter((t) => t.trim() !== '').join('\n\n'), evidence };
}

/** An image the HTML part shows inline (a logo in a signature): neither text nor evidence. */
function isInlineDecoration(a: Attachment): boolean {
  return a.related === true && a.contentType.startsWith('image/');
}

function forwardedHeader(mail: ParsedMail, filename: string): string {
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
