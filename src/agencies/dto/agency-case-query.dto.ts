import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, Max, Min } from 'class-validator';
import { CaseStatus } from '../../cases/case.entity';

export const AGENCY_CASES_MAX_PER_PAGE = 100;

export class AgencyCaseQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page: number = 1;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: AGENCY_CASES_MAX_PER_PAGE, default: 25 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(AGENCY_CASES_MAX_PER_PAGE)
  perPage: number = 25;

  @ApiPropertyOptional({ enum: CaseStatus, enumName: 'CaseStatus' })
  @IsOptional()
  @IsEnum(CaseStatus)
  status?: CaseStatus;
}
