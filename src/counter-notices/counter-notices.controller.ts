import { Body, Controller, Get, Header, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { NoticeChannel } from '../cases/notice.entity';
import { type CounterNoticeAnswer, type CounterNoticeState, CounterNoticesService } from './counter-notices.service';
import { SuitDto } from './dto/counter-notice-actions.dto';
import { CreateCounterNoticeDto } from './dto/create-counter-notice.dto';

/** Counter-notices over JSON: filing one, and its sender's status link. */
@Controller('api/v1')
export class CounterNoticesController {
  constructor(private readonly counterNotices: CounterNoticesService) {}

  /** Kept whatever it lacks (201, with the checklist and what is missing or wrong); 422 when no case is found. */
  @Post('counter-notices')
  @HttpCode(HttpStatus.CREATED)
  async create(
    @Body() dto: CreateCounterNoticeDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CounterNoticeAnswer> {
    const answer = await this.counterNotices.receive(dto, NoticeChannel.Api);
    res.setHeader('Location', answer.statusUrl);
    return answer;
  }

  @Get('counter-notices/status/:token')
  @Header('Cache-Control', 'no-store')
  @Header('Referrer-Policy', 'no-referrer')
  status(@Param('token') token: string): Promise<Omit<CounterNoticeAnswer, 'caseId'>> {
    return this.counterNotices.byToken(token);
  }

  /** The complainant's suit notice, through their own status link (an uploader's link answers 404). */
  @Post('status/:token/suit')
  @HttpCode(HttpStatus.OK)
  suit(@Param('token') token: string, @Body() dto: SuitDto): Promise<CounterNoticeState> {
    return this.counterNotices.recordSuitBySender(token, dto);
  }
}
