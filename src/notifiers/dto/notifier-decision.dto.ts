import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

/** Why staff warned a notifier or lifted a suspension: kept with the event, and told to the notifier. */
export class NotifierDecisionDto {
  @ApiProperty({
    description: 'Why, for the record (1-5,000 characters)',
    example: 'Four notices naming free software',
  })
  @IsString()
  @MinLength(1, { message: 'reason is required: say why, for the record' })
  @MaxLength(5_000, { message: 'reason must be at most 5,000 characters' })
  reason!: string;
}

export class NotifierSuspensionDto extends NotifierDecisionDto {
  @ApiProperty({ description: 'How long the suspension lasts, in days (1-3,650)', example: 30 })
  @IsInt({ message: 'days must be a whole number of days, from 1 to 3,650' })
  @Min(1, { message: 'days must be a whole number of days, from 1 to 3,650' })
  @Max(3650, { message: 'days must be a whole number of days, from 1 to 3,650' })
  days!: number;
}
