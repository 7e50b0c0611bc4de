import type { AuditAction } from '../cases/audit-actions';
import { type CaseTextValue, ERASED_TEXT, isTextField } from '../cases/case-texts';
import type { CaseDetail } from '../triage/case-detail.service';

/** The case page's audit trail as staff read it: a label for every action, its details in words. */

/** Items of a list shown in an audit event's detail before "… and N more". */
const AUDIT_LIST_MAX = 10;

export interface AuditEntryView {
  id: string;
  at: Date;
  actor: string;
  byStaff: boolean;
  action: string;
  label: string;
  fields: { label: string; value: string; long: boolean }[];
}

/** A label for every audit action: an action added to AuditDetails without one here does not compile. */
export const ACTION_LABELS: Record<AuditAction, string> = {
  'notice.received': 'Notice received',
  'notice.revised': 'Notice revised',
  'notice.counter_notice': 'Counter-notice received',
  'notice.names_other_case': 'Notice names another case',
  'notice.retracted': 'Retracted by the complainant',
  'notice.retraction_received': 'Retraction received by email: staff to confirm',
  'counter_notice.received': 'Counter-notice recorded, with its checklist',
  'counter_notice.forwarded': 'Counter-notice forwarded; restoration scheduled',
  'counter_notice.restored': 'Restored after the counter-notice',
  'counter_notice.restore_overdue': 'Restoration overdue',
  'counter_notice.suit_recorded': 'Suit recorded: restoration stopped',
  'counter_notice.withdrawn': 'Counter-notice withdrawn',
  'consent.given': 'Privacy consent given',
  'case.transitioned': 'Status changed',
  'case.transition_refused': 'Status change refused',
  'case.routed': 'Routed',
  'case.held_for_review': 'Held for review',
  'case.held_notifier_suspended': 'Held: notifier suspended',
  'case.assigned': 'Assigned',
  'case.rejected': 'Case rejected',
  'note.added': 'Note',
  'element.overridden': 'Checklist element overridden',
  'info.requested': 'Information requested',
  'link.sorting_overridden': 'Link re-sorted',
  'links.rejected': 'Links rejected',
  'links.restored': 'Links restored',
  'links.transition_refused': 'Link status change refused',
  'takedowns.approved': 'Takedowns approved',
  'takedowns.scheduled': 'Takedowns scheduled',
  'takedowns.done': 'Takedowns done',
  'takedowns.failed': 'Takedowns failed',
  'takedowns.restored': 'Links put back on the site',
  'strikes.recorded': 'Repeat-infringer strike recorded',
  'strikes.voided': 'Repeat-infringer strike voided',
  'strikes.termination_recommended': "Uploader's termination recommended",
  'complaint.received': 'Complaint against a decision received',
  'complaint.in_review': 'Complaint taken up',
  'complaint.decided': 'Complaint decided',
  'referrals.recorded': 'Referrals recorded',
  'letter.recorded': 'Letter recorded',
  'letter.deficiency_recorded': 'Deficiency letter recorded',
  'letter.held': 'Letter held by the per-recipient cap',
  'letter.sent': 'Letter sent',
  'letter.failed': 'Letter failed',
  'privacy.erased': 'Personal data erased',
  'privacy.withheld': "A minor's data withheld",
  'privacy.released': 'Withheld data released',
  'retention.applied': 'Retention: stored data removed',
  'legal_hold.set': 'Legal hold set',
  'legal_hold.released': 'Legal hold released',
};

/** Ids the audit keeps for the record that the page does not show (the assignee is shown by name, as "to"). */
const HIDDEN_DETAIL: Record<string, readonly string[]> = { 'case.assigned': ['from'] };

/**
 * An audit event as people read it: who (a staff member's name, or system, worker, sender), what, and the detail,
 * with the words behind its text fields (a reasonText reads as its reason, or "(erased)").
 */
export function auditEntry(event: CaseDetail['audit'][number], names: ReadonlyMap<string, string>): AuditEntryView {
  const byStaff = event.actorName !== null || names.has(event.actor);
  const hidden = HIDDEN_DETAIL[event.action] ?? [];
  const fields = Object.entries(event.detail as Record<string, unknown>)
    .filter(([key]) => !hidden.includes(key))
    .map(([key, value]) =>
      isTextField(key)
        ? { label: humanKey(key.replace(/Text$/, '')), value: wordsOf(event.texts[key], value) }
        : { label: humanKey(key), value: readable(value, names) },
    )
    .filter((f) => f.value !== '');
  if (event.action === 'case.assigned' && !fields.some((f) => f.label === 'to')) {
    fields.unshift({ label: 'to', value: 'nobody (unassigned)' });
  }
  return {
    id: event.id,
    at: event.at,
    actor: event.actorName ?? names.get(event.actor) ?? event.actor,
    byStaff,
    action: event.action,
    label: ACTION_LABELS[event.action as AuditAction] ?? event.action,
    fields: fields.map((f) => ({ ...f, long: f.value.length > 120 || f.value.includes('\n') })),
  };
}

/** A text field's words: none when no text was given (a null id), "(erased)" once erased or gone. */
function wordsOf(text: CaseTextValue | undefined, id: unknown): string {
  if (typeof id !== 'string') return '';
  return text?.text ?? ERASED_TEXT;
}

function humanKey(key: string): string {
  return key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
}

/** Any JSON value as one readable line (or a paragraph, for a note): lists cut short, staff ids named. */
function readable(value: unknown, names: ReadonlyMap<string, string>): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return names.get(value) ?? value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    const shown = value.slice(0, AUDIT_LIST_MAX).map((v) => readable(v, names));
    const more = value.length - shown.length;
    return shown.join(', ') + (more > 0 ? ` … and ${more} more` : '');
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => [humanKey(k), readable(v, names)])
      .filter(([, v]) => v !== '')
      .map(([k, v]) => `${k}: ${v}`)
      .join('; ');
  }
  return JSON.stringify(value);
}
