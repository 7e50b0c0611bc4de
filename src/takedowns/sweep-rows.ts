import type { RemovedLink } from '../letters/removed-links';
import type { SiteLink } from '../site/site-adapter';
import { type RemovedUploader, TakedownReason } from './takedown.entity';
import { appendTo } from '../core/collections';

/** The site's uploader of a removed link, as the takedown keeps it; null where the site names none. */
export function uploaderOf(link: SiteLink | undefined): RemovedUploader | null {
  if (!link?.uploaderEmail) return null;
  return { email: link.uploaderEmail, label: link.label ?? null, pageUrl: link.pageUrl ?? null };
}

export function removedLink(r: { site_ref: string; url: string; reason: TakedownReason }): RemovedLink {
  return { siteRef: r.site_ref, url: r.url, outbound: r.reason === TakedownReason.OutboundLink };
}

/** Items grouped by key, groups in the order their keys first appear, items in their order. */
export function groupBy<T>(items: T[], key: (t: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) appendTo(groups, key(item), item);
  return [...groups.values()];
}
