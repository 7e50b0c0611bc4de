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
