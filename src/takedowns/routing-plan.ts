import { CaseStatus } from '../cases/case.entity';
import type { Provider, ProviderRegistry } from '../links';
import { appendTo } from '../core/collections';

/** The links of a case referred to one storage provider, and where its copyright notices go. */
export interface ReferralGroup {
  id: string;
  name: string;
  channel: Provider['copyright'];
  links: string[];
}

/**
 * The case's storage-provider links grouped by provider, in the order the providers first appear. A link with no
 * provider is not referred; a provider the registry no longer has is named by its id, with no channel.
 */
export function referralGroups(
  disk: readonly { url: string; provider: string | null }[],
  registry: ProviderRegistry,
): ReferralGroup[] {
  const byProvider = new Map<string, string[]>();
  for (const l of disk) {
    if (!l.provider) continue;
    appendTo(byProvider, l.provider, l.url);
  }
  return [...byProvider.entries()].map(([id, links]) => {
    const provider = registry.byId(id);
    return { id, name: provider?.name ?? id, channel: provider?.copyright ?? {}, links };
  });
}

/** Where routing a complete takedown notice leaves its case, given the takedowns and referrals it made. */
export function routedStatus(created: number, referred: number, requireApproval: boolean): CaseStatus {
  // Nothing of ours matched and nothing to refer: a person should look at it.
  if (created === 0 && referred === 0) return CaseStatus.InReview;
  return requireApproval ? CaseStatus.InReview : CaseStatus.Actioned;
}
