import { type OtherTakedown, restorePlan } from './restore-plan';
import { TakedownStatus } from './takedown.entity';

const other = (siteRef: string, reference: string, status: TakedownStatus): OtherTakedown => ({
  siteRef,
  reference,
  status,
});

describe('restorePlan', () => {
  it.each([
    ['no other takedown', []],
    ['another takedown awaiting approval', [other('catalog:1', 'DMCA-2', TakedownStatus.AwaitingApproval)]],
    ['another case that restored it already', [other('catalog:1', 'DMCA-2', TakedownStatus.Restored)]],
    ['another takedown that failed', [other('catalog:1', 'DMCA-2', TakedownStatus.Failed)]],
    ['another takedown that found nothing', [other('catalog:1', 'DMCA-2', TakedownStatus.NotFound)]],
    ['a takedown of another ref', [other('catalog:2', 'DMCA-2', TakedownStatus.Done)]],
  ])('puts the ref back with %s', (_label, others) => {
    expect(restorePlan(['catalog:1'], others)).toEqual({ putBack: ['catalog:1'], heldDown: [] });
  });

  it.each([
    ['done', TakedownStatus.Done],
    ['pending', TakedownStatus.Pending],
  ])('keeps the ref down while another case has a %s takedown of it', (_label, status) => {
    expect(restorePlan(['catalog:1'], [other('catalog:1', 'DMCA-2', status)])).toEqual({
      putBack: [],
      heldDown: [{ siteRef: 'catalog:1', byCase: 'DMCA-2' }],
    });
  });

  it('puts back only the refs nobody holds, and names every case holding each of the others once', () => {
    const plan = restorePlan(
      ['catalog:3', 'catalog:1', 'catalog:2', 'catalog:1'],
      [
        other('catalog:3', 'DMCA-9', TakedownStatus.Done),
        other('catalog:3', 'DMCA-4', TakedownStatus.Pending),
        other('catalog:3', 'DMCA-9', TakedownStatus.Done),
        other('catalog:1', 'DMCA-5', TakedownStatus.AwaitingApproval),
        other('catalog:2', 'DMCA-5', TakedownStatus.Restored),
      ],
    );
    expect(plan).toEqual({
      putBack: ['catalog:1', 'catalog:2'],
      heldDown: [
        { siteRef: 'catalog:3', byCase: 'DMCA-4' },
        { siteRef: 'catalog:3', byCase: 'DMCA-9' },
      ],
    });
  });

  it('puts back nothing when nothing is being restored', () => {
    expect(restorePlan([], [other('catalog:1', 'DMCA-2', TakedownStatus.Done)])).toEqual({
      putBack: [],
      heldDown: [],
    });
  });
});
