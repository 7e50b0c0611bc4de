import { COUNTER_NOTICE_ELEMENTS, type ChecklistResult, type ElementName, TAKEDOWN_ELEMENTS } from '../checklist';
import type { ElementOverrides } from './case.entity';

export interface EffectiveChecklist extends ChecklistResult {
  /** Elements whose finding a staff member overrode. */
  overridden: ElementName[];
}

/** The elements a notice of this kind must have, in the law's order. */
export function requiredElements(kind: ChecklistResult['kind']): readonly ElementName[] {
  if (kind === 'takedown') return TAKEDOWN_ELEMENTS;
  if (kind === 'counter_notice') return COUNTER_NOTICE_ELEMENTS;
  return [];
}

/** The checker's findings with staff overrides applied: what triage, letters and approval go by. */
export function effectiveChecklist(checklist: ChecklistResult, overrides: ElementOverrides = {}): EffectiveChecklist {
  const list = requiredElements(checklist.kind);
  const elements = { ...checklist.elements };
  const overridden: ElementName[] = [];
  for (const name of list) {
    const override = overrides[name];
    if (!override) continue;
    overridden.push(name);
    elements[name] = { evidence: elements[name]?.evidence ?? [], present: override.present };
  }
  const missing = list.filter((name) => !elements[name]?.present);
  return { ...checklist, elements, missing, complete: list.length > 0 && missing.length === 0, overridden };
}
