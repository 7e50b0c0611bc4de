import type { BadFaithSign } from '../notifiers/bad-faith-signs.service';
import type { NotifierStats } from '../notifiers/notifier-stats.service';

/** A notifier's record as the staff pages show it: who, the counts, the rejected share as a percentage. */
export function notifierRow(s: NotifierStats): NotifierStats & { label: string; rejectedPercent: string } {
  return {
    ...s,
    label: s.agency ? `Agency: ${s.agency}` : `Address ${s.key.slice('email:'.length, 'email:'.length + 10)}…`,
    rejectedPercent: `${Math.round(s.rejectedShare * 100)}%`,
  };
}

const percent = (n: number): string => `${Math.round(n * 100)}%`;

/** Each bad-faith sign as a sentence and its evidence, for the case page. They are for a person: nothing acts on them. */
export function badFaithView(signs: readonly BadFaithSign[]): { title: string; evidence: string[] }[] {
  return signs.map((s) => {
    switch (s.kind) {
      case 'own_uploads':
        return { title: 'The notice names uploads of its own sender', evidence: s.urls };
      case 'public_licence_pages':
        return {
          title: `Material on the site's public-licence pages (${s.prefixes.join(', ')})`,
          evidence: s.urls,
        };
      case 'many_not_found':
        return {
          title: `Many URLs do not exist: ${s.notFound} of ${s.links} (${percent(s.share)}, over ${percent(s.threshold)})`,
          evidence: [],
        };
      case 'restored_before':
        return {
          title: `URLs already restored after a counter-notice in ${s.cases.join(', ')}`,
          evidence: s.urls,
        };
      case 'mostly_rejected':
        return {
          title: `The notifier's earlier notices were mostly rejected: ${s.rejected} of ${s.sent} (${percent(s.share)}, over ${percent(s.threshold)})`,
          evidence: [],
        };
    }
  });
}
