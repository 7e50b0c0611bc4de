import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

const REASON_MAX = 5_000;

/** A preservation hold: why the case's data must be kept (for example, a 512(f) claim threatened). */
export class LegalHoldDto {
  @ApiProperty({ description: 'Why the case is held, kept with the hold', example: '512(f) claim threatened' })
  @IsString()
  @MinLength(1)
  @MaxLength(REASON_MAX)
  reason!: string;
}

export class ReleaseLegalHoldDto {
  @ApiProperty({ description: 'Why the hold ends, kept with the hold', example: 'Claim settled' })
  @IsString()
  @MinLength(1)
  @MaxLength(REASON_MAX)
  reason!: string;
}
