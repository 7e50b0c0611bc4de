import {
  BadRequestException,
  Body,
  Controller,
  Headers,
  HttpCode,
  HttpStatus,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import type { AgencyPrincipal } from '../agencies/agency-keys.service';
import { CurrentAgency, OptionalAgencyGuard } from '../agencies/agency.guard';
import { NoticeRateLimitGuard } from './notice-rate-limit.guard';
import { CreateNoticeDto } from './dto/create-notice.dto';
import type { NoticeResponseDto } from './dto/notice-response.dto';
import { IntakeService } from './intake.service';
import { NoticeChannel } from '../cases/notice.entity';
import { structuredFromDto } from './structured-notice';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

@Controller('api/v1/notices')
export class NoticesController {
  constructor(private readonly intake: IntakeService) {}

  /** Anonymous, or for an agency with `Authorization: Bearer tda_…`; a key that is sent must be live (else 401). */
  @Post()
  @HttpCode(HttpStatus.CREATED)
  @UseGuards(OptionalAgencyGuard, NoticeRateLimitGuard)
  async create(
    @CurrentAgency() agency: AgencyPrincipal | undefined,
    @Body() dto: CreateNoticeDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() req: Request & { rawBody?: Buffer },
    @Res({ passthrough: true }) res: Response,
  ): Promise<NoticeResponseDto> {
    const structured = structuredFromDto(dto);
    if (!structured && !dto.text?.trim()) {
      throw new BadRequestException(
        'A notice needs structured fields, a "text" field with the notice as written, or both.',
      );
    }
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new BadRequestException('Idempotency-Key must be 1 to 255 printable ASCII characters without spaces.');
    }
    const { response, replayed } = await this.intake.receive({
      channel: NoticeChannel.Api,
      structured,
      text: dto.text,
      language: dto.language,
      agencyId: agency?.id,
      agencyTrusted: agency?.trustedFlagger,
      idempotency: idempotencyKey ? idempotency(idempotencyKey, req.rawBody, agency) : undefined,
    });
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.setHeader('Location', response.statusUrl);
    return response;
  }
}

/**
 * An agency's Idempotency-Keys are its own: scoped by its id, so that another caller reusing a key never replays
 * the agency's answer (and its status link). The agency is in the hash too, and a JSON body cannot start with the
 * prefix, so an anonymous request can never match an agency's entry even with a key spelt like a scoped one.
 */
function idempotency(
  key: string,
  rawBody: Buffer | undefined,
  agency: AgencyPrincipal | undefined,
): { key: string; requestHash: string } {
  const hash = createHash('sha256');
  if (agency) hash.update(`agency:${agency.id}\n`);
  hash.update(rawBody ?? '');
  return { key: agency ? `agency:${agency.id}:${key}` : key, requestHash: hash.digest('hex') };
}
