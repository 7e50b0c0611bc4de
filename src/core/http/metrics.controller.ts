import {
  Controller,
  Get,
  Header,
  Inject,
  Injectable,
  type CanActivate,
  type ExecutionContext,
  NotFoundException,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { type MetricsConfig, metricsConfig } from '../config';
import { MetricsService } from './metrics.service';

/**
 * /metrics on the API's port: open when neither METRICS_TOKEN nor METRICS_PORT is set; with a token, only for
 * `Authorization: Bearer <token>` (401 otherwise); with a port of its own, not here at all (404).
 */
@Injectable()
export class MetricsGuard implements CanActivate {
  constructor(@Inject(metricsConfig.KEY) private readonly config: MetricsConfig) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.config.port) throw new NotFoundException('Metrics are served on their own port (METRICS_PORT).');
    return bearerAllowed(context.switchToHttp().getRequest<Request>().headers.authorization, this.config.token);
  }
}

/** True when no token is asked, or the header carries it; throws 401 otherwise. */
export function bearerAllowed(header: string | undefined, token: string | null): boolean {
  if (!token) return true;
  const given = Buffer.from(/^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '');
  const wanted = Buffer.from(token);
  if (given.length === wanted.length && timingSafeEqual(given, wanted)) return true;
  throw new UnauthorizedException('Send the metrics token as Authorization: Bearer <METRICS_TOKEN>.');
}

/** Prometheus scrape endpoint. */
@ApiExcludeController()
@Controller()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get('metrics')
  @UseGuards(MetricsGuard)
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async scrape(): Promise<string> {
    return this.metrics.render();
  }
}
