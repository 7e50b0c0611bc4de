import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

/** The most URLs one counter-notice may name; more is a 413. */
export const COUNTER_NOTICE_MAX_URLS = 1_000;
export const COUNTER_NOTICE_MAX_TEXT = 100_000;

export class CounterNotifierDto {
  @IsOptional() @IsString() @MaxLength(300) name?: string;
  @IsOptional()
  @IsEmail({}, { message: 'counterNotifier.email must be a valid email address, such as me@example.org' })
  @MaxLength(320)
  email?: string;
  @IsOptional() @IsString() @MaxLength(100) phone?: string;
  @IsOptional() @IsString() @MaxLength(1000) address?: string;
  /** A country name or ISO 3166 code: outside the United States, consent is to any district where the site is found. */
  @IsOptional() @IsString() @MaxLength(100) country?: string;
}

/**
 * An uploader's counter-notice (17 U.S.C. 512(g)(3)): fields, free text as a letter would carry it, or both. Missing
 * elements do not fail validation: the counter-notice is kept and its sender told what it lacks.
 */
export class CreateCounterNoticeDto {
  /** The case reference from our letter (DMCA-YYYY-NNNNNN); optional when the removed URLs identify the case. */
  @IsOptional()
  @IsString()
  @Matches(/^DMCA-\d{4}-\d{6}$/, { message: 'caseReference must be a case reference such as DMCA-2026-000123' })
  caseReference?: string;
  @IsOptional() @ValidateNested() @Type(() => CounterNotifierDto) counterNotifier?: CounterNotifierDto;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(COUNTER_NOTICE_MAX_URLS, {
    message: `removedUrls may list at most ${COUNTER_NOTICE_MAX_URLS} URLs; send several counter-notices`,
  })
  @IsString({ each: true })
  @MaxLength(4096, { each: true })
  removedUrls?: string[];
  /** Under penalty of perjury: a good-faith belief that the material was removed by mistake or misidentification. */
  @IsOptional() @IsBoolean() mistakeStatement?: boolean;
  /** Consent to the federal district court's jurisdiction, including acceptance of service from the complainant. */
  @IsOptional() @IsBoolean() consentToJurisdiction?: boolean;
  /** The typed full legal name. */
  @IsOptional() @IsString() @MaxLength(300) signature?: string;
  @IsOptional() @IsString() @MaxLength(COUNTER_NOTICE_MAX_TEXT) text?: string;
}
