import { Controller, Get, Inject, NotFoundException, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { chosenLocale, languageSwitch, localeFromAcceptLanguage } from '../core/i18n/locales';
import { type AppConfig, appConfig } from '../core/config';
import { TemplateRenderer } from '../core/templates/template-renderer';
import { CatalogService } from './catalog.service';

/** The download's URL as notices name it: on the site's first domain. */
function reportedUrl(app: AppConfig, id: string): string {
  return `https://${app.siteDomains[0] ?? new URL(app.publicUrl).host}/d/${id}`;
}

/** The counter-notice form, prefilled with the case and the removed URL. */
export function counterNoticeFormUrl(reference: string | null, url: string): string {
  const query = new URLSearchParams();
  if (reference) query.set('case', reference);
  query.append('url', url);
  return `/counter-notices/new?${query.toString()}`;
}

/** The public side of the built-in catalog: the download redirector and the software pages. */
@Controller()
export class CatalogController {
  constructor(
    private readonly catalog: CatalogService,
    private readonly templates: TemplateRenderer,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  @Get('d/:id')
  async download(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const answer = await this.catalog.download(id);
    switch (answer.kind) {
      case 'missing':
        throw new NotFoundException('No such download.');
      case 'suspended':
        this.suspended(req, res, answer);
        return;
      case 'live':
        res.redirect(302, answer.targetUrl);
        return;
      case 'removed': {
        // RFC 7725: 451, with a Link to who asked for the block. Whoever follows the link: the browser's language.
        const locale = chosenLocale(
          req.query.lang,
          localeFromAcceptLanguage(req.headers['accept-language'], this.app.defaultLocale),
        );
        res
          .status(451)
          .setHeader('Link', `<${this.app.publicUrl}/>; rel="blocked-by"`)
          .setHeader('Content-Type', 'text/html; charset=utf-8')
          .setHeader('Content-Language', locale)
          .setHeader('Vary', 'Accept-Language')
          .send(
            this.templates.page('unavailable', {
              site: this.app,
              ...answer,
              counterNoticeUrl: counterNoticeFormUrl(answer.caseReference, reportedUrl(this.app, id)),
              locale,
              languages: languageSwitch(`/d/${id}`, locale),
            }),
          );
      }
    }
  }

  @Get('software/:slug')
  async page(@Param('slug') slug: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const page = await this.catalog.page(slug);
    if (!page) throw new NotFoundException('No such page.');
    if (page.suspension) {
      this.suspended(req, res, { ...page.suspension, slug: page.slug, title: page.title });
      return;
    }
    res
      .setHeader('Content-Type', 'text/html; charset=utf-8')
      .send(this.templates.page('software', { site: this.app, page, live: page.live, removed: page.removed }));
  }

  /** RFC 7725's 451 for the pages and downloads of an uploader terminated under the repeat-infringer policy. */
  private suspended(
    req: Request,
    res: Response,
    answer: { reference: string; suspendedAt: Date; slug: string; title: string },
  ): void {
    res
      .status(451)
      .setHeader('Link', `<${this.app.publicUrl}/policy/repeat-infringers>; rel="blocked-by"`)
      .setHeader('Content-Type', 'text/html; charset=utf-8')
      .send(
        this.templates.page('uploader-suspended', {
          site: this.app,
          ...answer,
          policyUrl: '/policy/repeat-infringers',
          locale: localeFromAcceptLanguage(req.headers['accept-language'], this.app.defaultLocale),
        }),
      );
  }
}
