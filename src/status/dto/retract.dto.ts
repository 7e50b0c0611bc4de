import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, MaxLength } from 'class-validator';

/** A complainant's retraction: some of the notice's URLs, or (without `urls`) the whole notice. */
export class RetractDto {
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1, { message: 'urls must name at least one URL; leave it out to retract the whole notice' })
  @ArrayMaxSize(10_000)
  @IsString({ each: true })
  @MaxLength(4096, { each: true })
  urls?: string[];
  @IsOptional() @IsString() @MaxLength(5_000) reason?: string;
}
