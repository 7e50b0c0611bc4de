import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Headers,
  HttpCode,
  HttpStatus,
  PayloadTooLargeException,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { CreateNoticeDto } from './dto/create-notice.dto';
import type { NoticeResponseDto } from './dto/notice-response.dto';
import { IdempotencyConflictError, NoticeTooLargeError } from './intake.errors';
import { IntakeService } from './intake.service';
import { NoticeChannel } from './notice.entity';
import { structuredFromDto } from './structured-notice';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

@Controller('api/v1/notices')
export class NoticesController {
  constructor(private readonly intake: IntakeService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  async create(
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
    try {
      const { response, replayed } = await this.intake.receive({
        channel: NoticeChannel.Api,
        structured,
        text: dto.text,
        idempotency: idempotencyKey
          ? {
              key: idempotencyKey,
              requestHash: createHash('sha256')
                .update(req.rawBody ?? '')
                .digest('hex'),
            }
          : undefined,
      });
      if (replayed) res.setHeader('Idempotent-Replayed', 'true');
      res.setHeader('Location', response.statusUrl);
      return response;
    } catch (error) {
      if (error instanceof IdempotencyConflictError) throw new ConflictException(error.message);
      if (error instanceof NoticeTooLargeError) throw new PayloadTooLargeException(error.message);
      throw error;
    }
  }
}
