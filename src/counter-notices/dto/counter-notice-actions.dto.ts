import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601, IsString, Matches, MaxLength, MinLength } from 'class-validator';

/** A suit notice (512(g)(2)(C)): where and when the complainant filed an action against the uploader. */
export class SuitDto {
  @ApiProperty({ example: 'U.S. District Court for the Northern District of California' })
  @IsString()
  @MinLength(2)
  @MaxLength(300)
  court!: string;
  @ApiProperty({ example: '3:26-cv-01234' }) @IsString() @MinLength(1) @MaxLength(100) docketNumber!: string;
  @ApiProperty({ example: '2026-12-01', description: 'The day the action was filed' })
  @IsISO8601({ strict: true }, { message: 'filedOn must be a date such as 2026-12-01' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'filedOn must be a date such as 2026-12-01' })
  filedOn!: string;
}

export class WithdrawCounterNoticeDto {
  @ApiProperty({ description: "The sender's request, for the audit log" })
  @IsString()
  @MinLength(1)
  @MaxLength(5_000)
  reason!: string;
}
