import { Module } from '@nestjs/common';
import { type TakedownConfig, takedownConfig } from '../core/config';
import { CatalogAdapter } from './catalog.adapter';
import { CatalogController } from './catalog.controller';
import { CatalogService } from './catalog.service';
import { CatalogImportService } from './catalog-import.service';
import { SITE_ADAPTER } from './site-adapter';
import { WebhookAdapter } from './webhook.adapter';

@Module({
  controllers: [CatalogController],
  providers: [
    CatalogService,
    CatalogAdapter,
    WebhookAdapter,
    CatalogImportService,
    {
      provide: SITE_ADAPTER,
      inject: [takedownConfig.KEY, CatalogAdapter, WebhookAdapter],
      useFactory: (config: TakedownConfig, catalog: CatalogAdapter, webhook: WebhookAdapter) =>
        config.siteAdapter === 'webhook' ? webhook : catalog,
    },
  ],
  exports: [SITE_ADAPTER, CatalogImportService],
})
export class SiteModule {}
