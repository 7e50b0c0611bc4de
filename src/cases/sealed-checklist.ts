import type { EntityManager } from 'typeorm';
import type { ChecklistResult, ElementResult } from '../checklist';
import { ERASED, type PersonalData, WITHHELD } from '../core/privacy/personal-data.service';

/**
 * A checklist as stored: element by element, its verbatim evidence (which quotes names, addresses and phone numbers)
 * sealed as one value under the sender's data subject; the verdicts (present, missing, complete) stay readable, so
 * the queue, the router and the letters need not open anything.
 */
export async function sealChecklist(
  vault: PersonalData,
  m: EntityManager,
  subjectId: string,
  checklist: ChecklistResult,
): Promise<ChecklistResult> {
  const names = Object.keys(checklist.elements) as (keyof ChecklistResult['elements'])[];
  const sealed = await vault.sealAll(
    m,
    subjectId,
    names.map((n) => JSON.stringify(checklist.elements[n]?.evidence ?? [])),
  );
  const elements: ChecklistResult['elements'] = {};
  names.forEach((n, i) => (elements[n] = { present: !!checklist.elements[n]?.present, evidence: [sealed[i]!] }));
  return { ...checklist, elements };
}

/** The checklists with their evidence readable again, in one batch; erased or withheld evidence reads as that word. */
export async function openChecklists(
  vault: PersonalData,
  m: EntityManager,
  checklists: ChecklistResult[],
): Promise<ChecklistResult[]> {
  const slots: { element: ElementResult; value: string }[] = [];
  const copies = checklists.map((c) => {
    const elements: ChecklistResult['elements'] = {};
    for (const [name, result] of Object.entries(c.elements) as [keyof ChecklistResult['elements'], ElementResult][]) {
      const element = { present: result.present, evidence: result.evidence };
      elements[name] = element;
      if (result.evidence.length === 1 && vault.subjectOf(result.evidence[0]))
        slots.push({ element, value: result.evidence[0] });
    }
    return { ...c, elements };
  });
  const opened = await vault.open(
    m,
    slots.map((s) => s.value),
  );
  slots.forEach((s, i) => {
    const text = opened[i] ?? '[]';
    s.element.evidence = text === ERASED || text === WITHHELD ? [text] : (JSON.parse(text) as string[]);
  });
  return copies;
}
