import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import type { QueueScope } from '../privacy-requests.repository';

export const PRIVACY_REASON_MAX = 5_000;
const SCOPES: QueueScope[] = ['open', 'settled', 'all'];

export class PrivacyQueueQueryDto {
  @ApiPropertyOptional({ enum: SCOPES, description: 'open (default): waiting on us or the requester, by deadline' })
  @IsOptional()
  @IsIn(SCOPES, { message: `scope must be one of: ${SCOPES.join(', ')}` })
  scope?: QueueScope;
}

export class RejectPrivacyRequestDto {
  @ApiProperty({ description: 'Why the request is refused: the requester is told' })
  @IsString()
  @IsNotEmpty({ message: 'reason must say why the request is refused' })
  @MaxLength(PRIVACY_REASON_MAX)
  reason!: string;
}
