import type { LinkAction } from '../../cases/link-action';
import type { ElementName, NoticeKind } from '../../checklist';
import type { LinkClassification, LinkRole } from '../../links';

export interface NoticeLinkDto {
  url: string;
  classification: LinkClassification;
  provider: string | null;
  role: LinkRole;
  action: LinkAction;
}

export interface NoticeResponseDto {
  caseId: string;
  reference: string;
  status: string;
  statusUrl: string;
  kind: NoticeKind;
  checklist: Partial<Record<ElementName, { present: boolean; evidence: string[] }>>;
  missing: ElementName[];
  links: NoticeLinkDto[];
}
