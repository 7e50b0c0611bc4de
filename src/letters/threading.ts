/** Our Message-ID for a letter: unique because the letter id is, and recognisably ours by the From domain. */
export function letterMessageId(letterId: string, from: string): string {
  return `<letter-${letterId}@${from.slice(from.lastIndexOf('@') + 1)}>`;
}

export interface Thread {
  inReplyTo: string | null;
  references: string[];
}

/** At most this many References: the thread's root and its latest letters (RFC 5322 allows trimming the middle). */
const MAX_REFERENCES = 20;

/**
 * Threads a new letter under the case's earlier ones (oldest first): it answers the message it is a reply to
 * when there is one (a sender's email), else the case's latest letter. References keep the whole chain, so
 * every letter of a case lands in one thread whatever the mail client threads by.
 */
export function threadFor(earlier: string[], reply: { inReplyTo?: string; references?: string[] } = {}): Thread {
  const chain = [...new Set([...earlier, ...(reply.references ?? []), ...(reply.inReplyTo ? [reply.inReplyTo] : [])])];
  const references = chain.length > MAX_REFERENCES ? [chain[0], ...chain.slice(-(MAX_REFERENCES - 1))] : chain;
  return { inReplyTo: reply.inReplyTo ?? earlier.at(-1) ?? null, references };
}
