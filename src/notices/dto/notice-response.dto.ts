import type { ElementName, NoticeKind } from '../../checklist';
import type { LinkClassification, LinkRole } from '../../links';

/** What will happen to a reported link. */
export type LinkAction = 'takedown' | 'takedown_after_approval' | 'referral' | 'held_until_complete' | 'none';

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
