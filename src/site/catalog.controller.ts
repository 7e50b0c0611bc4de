import { Controller, Get, Header, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { type AppConfig, appConfig } from '../core/config';
import { TemplateRenderer } from '../core/templates/template-renderer';

/** The public side of the built-in catalog: the download redirector and the software pages. */
@Controller()
export class CatalogController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly templates: TemplateRenderer,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  @Get('d/:id')
  async download(@Param('id') id: string, @Res() res: Response): Promise<void> {
    if (!/^\d{1,18}$/.test(id)) throw new NotFoundException('No such download.');
    const [link] = await this.dataSource.query<
      { target_url: string; status: string; taken_down_case: string | null; slug: string; title: string }[]
    >(
      `SELECT l.target_url, l.status, l.taken_down_case, p.slug, p.title
       FROM download_links l JOIN software_pages p ON p.id = l.page_id WHERE l.id = $1`,
      [id],
    );
    if (!link) throw new NotFoundException('No such download.');
    if (link.status === 'live') {
      res.redirect(302, link.target_url);
      return;
    }
    // RFC 7725: 451, with a Link to who asked for the block.
    res
      .status(451)
      .setHeader('Link', `<${this.app.publicUrl}/>; rel="blocked-by"`)
      .setHeader('Content-Type', 'text/html; charset=utf-8')
      .send(
        this.templates.page('unavailable', {
          site: this.app,
          title: link.title,
          slug: link.slug,
          caseReference: link.taken_down_case,
        }),
      );
  }

  @Get('software/:slug')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async page(@Param('slug') slug: string): Promise<string> {
    const [page] = await this.dataSource.query<{ id: string; slug: string; title: string; description: string }[]>(
      `SELECT id, slug, title, description FROM software_pages WHERE slug = $1`,
      [slug],
    );
    if (!page) throw new NotFoundException('No such page.');
    const links = await this.dataSource.query<{ id: string; label: string; status: string }[]>(
      `SELECT id, label, status FROM download_links WHERE page_id = $1 ORDER BY id`,
      [page.id],
    );
    return this.templates.page('software', {
      site: this.app,
      page,
      live: links.filter((l) => l.status === 'live'),
      removed: links.filter((l) => l.status !== 'live').length,
    });
  }
}
