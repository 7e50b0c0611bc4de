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

export class AgencyResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() contactEmail!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastUsedAt!: string | null;
  /** Set once the key is revoked: it then files and reads nothing. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: string | null;
}

export class CreatedAgencyResponseDto extends AgencyResponseDto {
  /** The key itself: shown in this answer only. */
  @ApiProperty({ example: 'tda_…', description: 'Shown in this answer only; only its SHA-256 is kept.' })
  key!: string;
}
