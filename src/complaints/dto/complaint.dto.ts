import { ApiProperty } from '@nestjs/swagger';
import { IsEnum, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { ComplaintSubject } from '../complaint.entity';

export const COMPLAINT_MAX = 10_000;

/** A complaint against a decision, from a status page: what is contested, and why. */
export class FileComplaintDto {
  @ApiProperty({ enum: ComplaintSubject, description: 'The decision contested' })
  @IsEnum(ComplaintSubject, { message: `subject must be one of ${Object.values(ComplaintSubject).join(', ')}` })
  subject!: ComplaintSubject;

  @ApiProperty({ description: `Why the decision is wrong (1-${COMPLAINT_MAX.toLocaleString('en')} characters)` })
  @IsString()
  @MinLength(1, { message: 'text is required: say why the decision is wrong' })
  @MaxLength(COMPLAINT_MAX, { message: `text must be at most ${COMPLAINT_MAX.toLocaleString('en')} characters` })
  text!: string;
}

/** Staff's decision on a complaint, with the reasoned answer the person is sent. */
export class DecideComplaintDto {
  @ApiProperty({ enum: ['upheld', 'reversed'], description: 'upheld: the decision stands; reversed: it is undone' })
  @IsIn(['upheld', 'reversed'], { message: 'outcome must be upheld (the decision stands) or reversed (it is undone)' })
  outcome!: 'upheld' | 'reversed';

  @ApiProperty({ description: 'The reasoned answer the person is sent (1-5,000 characters)' })
  @IsString()
  @MinLength(1, { message: 'reason is required: the person is sent it as the reasons for the decision' })
  @MaxLength(5_000, { message: 'reason must be at most 5,000 characters' })
  reason!: string;
}
