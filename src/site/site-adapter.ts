/** One of our links as the site knows it: `ref` is the adapter's handle, `url` the reported URL it answers to. */
export interface SiteLink {
  ref: string;
  url: string;
  label?: string;
  pageUrl?: string;
  /** Who published the page, where the site knows it. Personal data. */
  uploaderEmail?: string | null;
  /**
   * The publisher's account as the site knows it: what repeat-infringer strikes are counted against (17 U.S.C.
   * 512(i)), never the free-text address, which an uploader may change or share.
   */
  uploaderId?: string | null;
}

export interface SitePage {
  slug: string;
  title: string;
  url: string;
}

export type TakedownOutcome = 'done' | 'not_found';

/**
 * The site whose links we take down: the built-in catalog, or an external CMS reached by webhook.
 * Every method takes a batch; every action is idempotent, so a retried job may repeat it safely.
 */
export interface SiteAdapter {
  /** Our downloads served at the given URLs of our own domains (a page URL stands for all its downloads). */
  findInternal(urls: string[]): Promise<SiteLink[]>;
  /** Our downloads that send visitors to the given external URLs (17 U.S.C. 512(d)). */
  findOutbound(urls: string[]): Promise<SiteLink[]>;
  takeDown(refs: string[], caseReference: string): Promise<Map<string, TakedownOutcome>>;
  /** The refs that still serve their file: a takedown is verified when its ref is absent here. */
  stillLive(refs: string[]): Promise<Set<string>>;
  restore(refs: string[]): Promise<void>;
  /** Pages whose titles match any of the search terms. */
  searchPages(terms: string[], limit: number): Promise<SitePage[]>;
  /**
   * Terminates an uploader under the repeat-infringer policy: their pages are hidden and their downloads answer 451.
   * Staff approve it; `reference` names the decision for the site's own records.
   */
  suspendUploader(uploaderId: string, reference: string): Promise<void>;
  /** Undoes suspendUploader: the uploader's pages and the downloads not removed on their own are served again. */
  reinstateUploader(uploaderId: string): Promise<void>;
}

export const SITE_ADAPTER = Symbol('SITE_ADAPTER');
