import type { PrivacyRequestAction } from '../privacy/privacy-request-workflow';
import type { PrivacyQueueItem, PrivacyRequestDetail } from '../privacy/privacy-requests.service';
import { relativeTime } from './view-format';

/** How the staff pages word each step of a privacy request; a Record, so that a new step without words fails to build. */
export const PRIVACY_EVENT_LABELS: Record<PrivacyRequestAction, string> = {
  'request.received': 'Request received',
  'request.repeated': 'Asked again while the link was live (no second mail)',
  'data.withheld': "The minor's data withheld everywhere",
  'data.released': "The minor's data released",
  'address.confirmed': 'Address confirmed by the mailed link',
  'erasure.carried_out': 'Erasure carried out',
  'request.rejected': 'Request rejected',
  'export.issued': 'Export link issued',
  'export.delivered': 'Export handed over directly',
  'export.opened': 'Export opened',
  'mail.queued': 'Mail queued',
  'mail.sent': 'Mail sent',
  'mail.failed': 'Mail failed',
  'mail.skipped': 'Mail not sent',
  'reply_address.erased': "The outcome's copy of the address erased",
};

const KIND_LABELS = { access: 'Access', erasure: 'Erasure' } as const;

/** Who did it, in words: a staff member by name, else the actor as written (requester, worker, cli:<user>). */
export type StaffNames = Map<string, string>;

export function privacyQueueRows(items: PrivacyQueueItem[], now: Date) {
  return items.map((item) => ({
    ...item,
    kindLabel: KIND_LABELS[item.kind],
    due: relativeTime(item.dueAt, now),
    received: relativeTime(item.receivedAt, now),
    overdueLabel: item.minor ? "a minor's request waits on us" : 'past the deadline',
  }));
}

export function privacyRequestView(detail: PrivacyRequestDetail, names: StaffNames, now: Date) {
  const who = (actor: string | null) => (actor ? (names.get(actor) ?? actor) : null);
  return {
    ...detail,
    kindLabel: KIND_LABELS[detail.kind],
    due: relativeTime(detail.dueAt, now),
    decidedByName: who(detail.decidedBy),
    can: {
      erase: detail.actions.includes('erase'),
      confirmMinor: detail.actions.includes('confirm-minor'),
      reject: detail.actions.includes('reject'),
      export: detail.actions.includes('export'),
    },
    events: detail.events.map((e) => ({
      at: e.at,
      actor: who(e.actor),
      label: PRIVACY_EVENT_LABELS[e.action] ?? e.action,
      detail: Object.entries(e.detail)
        .map(([k, v]) => `${k}: ${Array.isArray(v) ? (v.length ? v.join(', ') : 'none') : String(v)}`)
        .join('; '),
    })),
  };
}
