/** Injection token for the network-disk provider registry loaded from providers.json. */
export const PROVIDER_REGISTRY = Symbol('PROVIDER_REGISTRY');
