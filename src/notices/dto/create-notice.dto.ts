import { Type } from 'class-transformer';
import { LOCALES, type Locale } from '../../core/i18n/locales';
import {
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

export class ComplainantDto {
  @IsString() @MaxLength(300) name!: string;
  @IsOptional() @IsString() @MaxLength(300) company?: string;
  @IsEmail({}, { message: 'complainant.email must be a valid email address, such as legal@example.org' })
  @MaxLength(320)
  email!: string;
  @IsOptional() @IsString() @MaxLength(100) phone?: string;
  @IsOptional() @IsString() @MaxLength(1000) address?: string;
  @IsIn(['owner', 'agent'], { message: 'complainant.role must be "owner" or "agent"' }) role!: 'owner' | 'agent';
  @ValidateIf((c: ComplainantDto) => c.role === 'agent' || c.ownerName !== undefined)
  @IsString({ message: 'complainant.ownerName must name the copyright owner you act for' })
  @MaxLength(300)
  ownerName?: string;
}

export class WorkDto {
  @IsOptional() @IsString() @MaxLength(10_000) description?: string;
  /** Kept as written: the link sorter decides whether it is usable. */
  @IsOptional() @IsString() @MaxLength(4096) url?: string;
}

/**
 * A notice from an automated sender: structured fields, free text as a letter would carry it, or both.
 * Missing elements do not fail validation: the notice is kept and the case marked deficient.
 */
export class CreateNoticeDto {
  @IsOptional() @ValidateNested() @Type(() => ComplainantDto) complainant?: ComplainantDto;
  @IsOptional() @ValidateNested() @Type(() => WorkDto) work?: WorkDto;
  /** Count limited by MAX_URLS_PER_NOTICE (413 beyond it), checked by the intake service. */
  @IsOptional() @IsArray() @IsString({ each: true }) @MaxLength(4096, { each: true }) infringingUrls?: string[];
  @IsOptional() @IsArray() @IsString({ each: true }) @MaxLength(200, { each: true }) searchTerms?: string[];
  /** The sender affirms: good-faith belief that the use is not authorised by the owner, its agent or the law. */
  @IsOptional() @IsBoolean() goodFaith?: boolean;
  /** The sender affirms, under penalty of perjury: the notice is accurate and they may act for the owner. */
  @IsOptional() @IsBoolean() perjury?: boolean;
  /** The typed full legal name. */
  @IsOptional() @IsString() @MaxLength(300) signature?: string;
  /** Free-text notice; length limited by MAX_TEXT_CHARS (413 beyond it). */
  @IsOptional() @IsString() text?: string;
  /** The language to write to the sender in; without it, the one the notice is written in. */
  @IsOptional()
  @IsIn(LOCALES, { message: `language must be one of ${LOCALES.join(', ')}` })
  language?: Locale;
}
