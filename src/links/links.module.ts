import { Global, Module } from '@nestjs/common';
import { loadProviderRegistry } from './index';
import { PROVIDER_REGISTRY } from './links.constants';

@Global()
@Module({
  providers: [{ provide: PROVIDER_REGISTRY, useFactory: () => loadProviderRegistry() }],
  exports: [PROVIDER_REGISTRY],
})
export class LinksModule {}
