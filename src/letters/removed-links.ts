import type { SiteAdapter, SiteLink } from '../site/site-adapter';

/** A takedown that is done, as the letters about it need it. */
export interface RemovedLink {
  siteRef: string;
  /** The reported URL: one of ours, or a file elsewhere that our page linked to. */
  url: string;
  /** Our link to a file elsewhere was removed (512(d)); the file itself is still at its provider. */
  outbound: boolean;
}

/** A removed link as its uploader is told of it. */
export interface RemovedUpload {
  label: string;
  pageUrl: string | null;
  url: string;
  outbound: boolean;
}

/** The takedown_done letter's context: our removed URLs, and the files we no longer link to. */
export function takedownDoneContext(removed: RemovedLink[], at: Date): object {
  const urls = (outbound: boolean): string[] => [
    ...new Set(removed.filter((r) => r.outbound === outbound).map((r) => r.url)),
  ];
  return { removed: urls(false), outbound: urls(true), at };
}

/** The site's record of each removed link whose page names an uploader, keyed by ref. Calls the site adapter. */
export async function uploadedLinks(site: SiteAdapter, removed: RemovedLink[]): Promise<Map<string, SiteLink>> {
  const urls = (outbound: boolean): string[] => [
    ...new Set(removed.filter((r) => r.outbound === outbound).map((r) => r.url)),
  ];
  const ours = urls(false);
  const outbound = urls(true);
  const links = [
    ...(ours.length > 0 ? await site.findInternal(ours) : []),
    ...(outbound.length > 0 ? await site.findOutbound(outbound) : []),
  ];
  const refs = new Set(removed.map((r) => r.siteRef));
  return new Map(links.filter((l) => refs.has(l.ref) && (l.uploaderEmail || l.uploaderId)).map((l) => [l.ref, l]));
}

/** The removed links grouped by uploader address (lower-cased): one uploader letter each. */
export function removedByUploader(
  removed: RemovedLink[],
  uploaded: Map<string, SiteLink>,
): Map<string, RemovedUpload[]> {
  const byUploader = new Map<string, Map<string, RemovedUpload>>();
  for (const r of removed) {
    const link = uploaded.get(r.siteRef);
    const email = link?.uploaderEmail?.trim().toLowerCase();
    if (!link || !email) continue;
    const mine = byUploader.get(email) ?? new Map<string, RemovedUpload>();
    mine.set(r.siteRef, { label: link.label ?? '', pageUrl: link.pageUrl ?? null, url: r.url, outbound: r.outbound });
    byUploader.set(email, mine);
  }
  return new Map([...byUploader].map(([email, links]) => [email, [...links.values()]]));
}
