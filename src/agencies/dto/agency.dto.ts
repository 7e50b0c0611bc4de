import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class CreateAgencyDto {
  @ApiProperty({ example: 'Acme Rights Agency', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'notices@acme-rights.example.org', maxLength: 254 })
  @IsEmail()
  @MaxLength(254)
  contactEmail!: string;
}

/** Designating an agency a trusted flagger (DSA Art. 22): who designated it, and for what. */
export class TrustedFlaggerDto {
  @ApiProperty({ example: 'Coimisiún na Meán (IE Digital Services Coordinator)', maxLength: 300 })
  @IsString()
  @MinLength(1, { message: 'authority is required: the Digital Services Coordinator that designated it' })
  @MaxLength(300)
  authority!: string;

  @ApiProperty({ example: 'Copyright in software and video games', maxLength: 300 })
  @IsString()
  @MinLength(1, { message: 'area is required: the area of expertise it was designated for' })
  @MaxLength(300)
  area!: string;
}

export class TrustedFlaggerResponseDto {
  @ApiProperty({ format: 'date-time' }) since!: string;
  @ApiProperty() authority!: string;
  @ApiProperty() area!: string;
}

export class AgencyResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() contactEmail!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastUsedAt!: string | null;
  /** Set once the key is revoked: it then files and reads nothing. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: string | null;
  /** Set while the agency is a trusted flagger. */
  @ApiProperty({ type: TrustedFlaggerResponseDto, nullable: true }) trustedFlagger!: TrustedFlaggerResponseDto | null;
}

export class CreatedAgencyResponseDto extends AgencyResponseDto {
  /** The key itself: shown in this answer only. */
  @ApiProperty({ example: 'tda_…', description: 'Shown in this answer only; only its SHA-256 is kept.' })
  key!: string;
}
