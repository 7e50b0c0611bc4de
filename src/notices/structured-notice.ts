import type { StructuredNotice } from '../checklist';
import type { CreateNoticeDto } from './dto/create-notice.dto';

/** The structured part of an API notice, or undefined when the sender gave free text only. */
export function structuredFromDto(dto: CreateNoticeDto): StructuredNotice | undefined {
  const s: StructuredNotice = {
    complainant: dto.complainant,
    work: dto.work,
    infringingUrls: dto.infringingUrls,
    searchTerms: dto.searchTerms,
    goodFaith: dto.goodFaith,
    perjury: dto.perjury,
    signature: dto.signature,
  };
  const given = Object.values(s).some((v) => v !== undefined);
  return given ? s : undefined;
}

/** The case's structured record: later notices' fields over earlier ones, URL and search-term lists joined. */
export function mergeStructured(all: (StructuredNotice | null)[]): StructuredNotice | undefined {
  const present = all.filter((s): s is StructuredNotice => s !== null);
  if (present.length === 0) return undefined;
  return present.reduce((acc, s) => ({
    ...acc,
    ...s,
    complainant: acc.complainant || s.complainant ? { ...acc.complainant, ...s.complainant } : undefined,
    work: acc.work || s.work ? { ...acc.work, ...s.work } : undefined,
    infringingUrls: [...(acc.infringingUrls ?? []), ...(s.infringingUrls ?? [])],
    searchTerms: [...(acc.searchTerms ?? []), ...(s.searchTerms ?? [])],
  }));
}
