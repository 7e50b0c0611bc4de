export { MAX_URL_LENGTH, classifyUrl, isActionable, normalizeUrl, isSiteHost } from './link-classifier';
export type { ClassifiedLink, ClassifyOptions, LinkClassification, NormalizeResult } from './link-classifier';
export { extractUrls } from './extract';
export { DEFAULT_REFERENCE_URLS, sortLinks } from './link-roles';
export type { LinkRole, SortLinksInput, SortLinksOptions, SortedLink } from './link-roles';
export { createProviderRegistry, loadProviderRegistry, ProviderRegistryError } from './provider-registry';
export type { Provider, ProviderRegistry } from './provider-registry';
