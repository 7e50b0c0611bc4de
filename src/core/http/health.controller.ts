import { Controller, Get, Redirect, ServiceUnavailableException } from '@nestjs/common';
import { DataSource } from 'typeorm';

@Controller()
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  @Get('health')
  async health(): Promise<{ status: 'ok'; postgres: 'up' }> {
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      throw new ServiceUnavailableException({ status: 'down', postgres: 'down' });
    }
    return { status: 'ok', postgres: 'up' };
  }

  @Get()
  @Redirect('/notices/new', 302)
  home(): void {}
}
