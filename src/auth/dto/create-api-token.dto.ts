import { IsString, MaxLength, MinLength } from 'class-validator';

export class CreateApiTokenDto {
  /** What the token is for, e.g. "nightly export". */
  @IsString() @MinLength(1) @MaxLength(100) name!: string;
}
