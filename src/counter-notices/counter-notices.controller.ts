import { Body, Controller, Get, Header, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { NoticeChannel } from '../cases/notice.entity';
import { type CounterNoticeAnswer, CounterNoticesService } from './counter-notices.service';
import { CreateCounterNoticeDto } from './dto/create-counter-notice.dto';

/** Counter-notices over JSON: filing one, and its sender's status link. */
@Controller('api/v1/counter-notices')
export class CounterNoticesController {
  constructor(private readonly counterNotices: CounterNoticesService) {}

  /** Kept whatever it lacks (201, with the checklist and what is missing or wrong); 422 when no case is found. */
  @Post()
  @HttpCode(HttpStatus.CREATED)
  async create(
    @Body() dto: CreateCounterNoticeDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CounterNoticeAnswer> {
    const answer = await this.counterNotices.receive(dto, NoticeChannel.Api);
    res.setHeader('Location', answer.statusUrl);
    return answer;
  }

  @Get('status/:token')
  @Header('Cache-Control', 'no-store')
  @Header('Referrer-Policy', 'no-referrer')
  status(@Param('token') token: string): Promise<Omit<CounterNoticeAnswer, 'caseId'>> {
    return this.counterNotices.byToken(token);
  }
}
