import { ApiProperty } from '@nestjs/swagger';
import type { ElementName } from '../../checklist';
import { CaseStatus } from '../../cases/case.entity';
import { LetterKind } from '../../letters/letter.entity';
import { LinkStatus } from '../../cases/reported-link.entity';

const LINK_COUNTS = {
  type: 'object',
  additionalProperties: { type: 'integer' },
  example: { taken_down: 2, referred: 1 },
  description: "The case's links counted by status.",
} as const;

export class AgencyCaseSummaryDto {
  @ApiProperty({ example: 'DMCA-2026-000042' }) reference!: string;
  @ApiProperty({ enum: CaseStatus, enumName: 'CaseStatus' }) status!: CaseStatus;
  @ApiProperty({ example: 'takedown' }) kind!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty(LINK_COUNTS) linkCounts!: Record<string, number>;
  @ApiProperty({ description: "The case's public status page." }) statusUrl!: string;
}

export class AgencyCaseListDto {
  @ApiProperty({ type: [AgencyCaseSummaryDto], description: 'Newest first.' }) items!: AgencyCaseSummaryDto[];
  @ApiProperty() page!: number;
  @ApiProperty() perPage!: number;
  @ApiProperty({ description: 'Cases matching the filter, on all pages.' }) total!: number;
}

export class AgencyCaseLinkDto {
  @ApiProperty() url!: string;
  @ApiProperty({ example: 'internal' }) classification!: string;
  @ApiProperty({ type: String, nullable: true, example: 'mega' }) provider!: string | null;
  @ApiProperty({ example: 'infringing' }) role!: string;
  @ApiProperty({ enum: LinkStatus, enumName: 'LinkStatus' }) status!: LinkStatus;
}

export class AgencyMissingElementDto {
  @ApiProperty({ example: 'signature' }) element!: ElementName;
  @ApiProperty() title!: string;
  @ApiProperty() howToSupply!: string;
}

export class AgencyLetterDto {
  @ApiProperty({ enum: LetterKind, enumName: 'LetterKind' }) kind!: LetterKind;
  @ApiProperty() subject!: string;
  @ApiProperty({ format: 'date-time' }) sentAt!: string;
}

export class AgencyStatusChangeDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ enum: CaseStatus, enumName: 'CaseStatus', nullable: true, description: 'Null for the routing.' })
  from!: CaseStatus | null;
  @ApiProperty({ enum: CaseStatus, enumName: 'CaseStatus' }) to!: CaseStatus;
}

export class AgencyCaseDetailDto extends AgencyCaseSummaryDto {
  @ApiProperty({ type: [AgencyMissingElementDto], description: 'Required elements the notice still lacks.' })
  missing!: AgencyMissingElementDto[];
  @ApiProperty({ type: [AgencyCaseLinkDto], description: 'Every link of the case, in the order reported.' })
  links!: AgencyCaseLinkDto[];
  @ApiProperty({ type: [AgencyLetterDto], description: 'Letters sent to the sender, without their bodies.' })
  letters!: AgencyLetterDto[];
  @ApiProperty({ type: [AgencyStatusChangeDto], description: 'Oldest first.' })
  history!: AgencyStatusChangeDto[];
}
