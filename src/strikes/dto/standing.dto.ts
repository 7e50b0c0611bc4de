import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

/** Why staff decided as they did about an uploader's account: kept with the event, shown on the uploader's page. */
export class StandingDecisionDto {
  @ApiProperty({ description: 'Why, for the record (1-5,000 characters)', example: 'Three upheld notices in 60 days' })
  @IsString()
  @MinLength(1, { message: 'reason is required: say why, for the record' })
  @MaxLength(5_000, { message: 'reason must be at most 5,000 characters' })
  reason!: string;
}
