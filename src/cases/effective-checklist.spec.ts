import type { ChecklistResult } from '../checklist';
import { effectiveChecklist } from './effective-checklist';

const found = (present: boolean) => ({ present, evidence: present ? ['quoted'] : [] });
const machine: ChecklistResult = {
  kind: 'takedown',
  elements: {
    // Postgres jsonb keeps keys in its own order: the effective list must not depend on it.
    signature: found(false),
    authority: found(true),
    contact: found(true),
    work: found(true),
    infringing_material: found(true),
    search_term: found(false),
    good_faith: found(true),
    perjury: found(true),
  },
  missing: ['search_term', 'signature'],
  complete: false,
};
const by = { reason: 'r', by: 'staff', at: '2026-11-30T00:00:00Z' };

describe('effectiveChecklist', () => {
  it('is the checker result when nothing is overridden', () => {
    expect(effectiveChecklist(machine)).toEqual({ ...machine, overridden: [] });
  });

  it('completes a notice when staff accept the missing elements, in the law order', () => {
    const result = effectiveChecklist(machine, {
      signature: { present: true, ...by },
      search_term: { present: true, ...by },
    });
    expect(result.complete).toBe(true);
    expect(result.missing).toEqual([]);
    expect(result.overridden).toEqual(['search_term', 'signature']);
    expect(result.elements.signature?.evidence).toEqual([]);
  });

  it('marks an element missing that the checker found, keeping its evidence for the reader', () => {
    const result = effectiveChecklist(machine, { authority: { present: false, ...by } });
    expect(result.missing).toEqual(['authority', 'search_term', 'signature']);
    expect(result.elements.authority).toEqual({ present: false, evidence: ['quoted'] });
  });

  it('ignores overrides of elements the kind does not have', () => {
    const result = effectiveChecklist(machine, { mistake_statement: { present: true, ...by } });
    expect(result.overridden).toEqual([]);
  });
});
