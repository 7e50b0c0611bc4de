import { checkNotice, type ChecklistResult, type NoticeKind, replyText, type StructuredNotice } from '../../checklist';
import { loadProviderRegistry, sortLinks, type ProviderRegistry, type SortedLink } from '../../links';

/** What one notice's free text is read for: its links sorted, then its checklist. Plain data, so it crosses threads. */
export interface NoticeAnalysisInput {
  text?: string;
  structured?: StructuredNotice;
  kindHint?: NoticeKind;
  /** Check only the reply's own words (quoted lines and the quoted letter dropped); links are read from all of it. */
  ownWordsOnly?: boolean;
  /** Skip link sorting (a counter-notice's links name what to restore, not what to take down). */
  withoutLinks?: boolean;
  siteDomains: string[];
}

export interface NoticeAnalysis {
  links: SortedLink[];
  checklist: ChecklistResult;
}

let registry: ProviderRegistry | undefined;

/** The checklist and link sorting of one notice: pure, and the same in a worker thread as in the caller's. */
export function analyseNotice(input: NoticeAnalysisInput): NoticeAnalysis {
  registry ??= loadProviderRegistry();
  const links = input.withoutLinks
    ? []
    : sortLinks(
        { text: input.text, infringingUrls: input.structured?.infringingUrls, workUrl: input.structured?.work?.url },
        { siteDomains: input.siteDomains, registry },
      );
  const text = input.text !== undefined && input.ownWordsOnly ? replyText(input.text) : input.text;
  const checklist = checkNotice({ structured: input.structured, text, kindHint: input.kindHint, textLinks: links });
  return { links, checklist };
}

/**
 * What can be read without the free text, for a notice whose text ran out of time: the structured fields' links
 * and checklist. Without a kind from the fields or the caller it is read as a takedown, so that the sender is told
 * what is missing rather than nothing.
 */
export function analyseStructuredOnly(input: NoticeAnalysisInput): NoticeAnalysis {
  return analyseNotice({ ...input, text: undefined, kindHint: input.kindHint ?? 'takedown' });
}
