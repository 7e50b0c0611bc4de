import type { NoticeKind } from '../checklist';
import type { LinkClassification, LinkRole } from '../links';
import { type LinkAction, linkAction } from './link-action';

const CLASSIFICATIONS: LinkClassification[] = ['internal', 'external_disk', 'external_other', 'invalid'];
const ROLES: LinkRole[] = ['infringing', 'original', 'reference'];
const KINDS: NoticeKind[] = ['takedown', 'counter_notice', 'retraction', 'other'];
const BOOLS = [true, false];

/**
 * The only combinations the pipeline acts on: an infringing link on our site or at a storage provider, in a takedown
 * notice. Written out by hand, so that an edit to linkAction or to this table shows.
 */
const ACTED_ON: [LinkClassification, boolean, boolean, LinkAction][] = [
  // classification, notice complete, TAKEDOWN_REQUIRE_APPROVAL, action
  ['internal', true, false, 'takedown'],
  ['internal', true, true, 'takedown_after_approval'],
  ['internal', false, false, 'held_until_complete'],
  ['internal', false, true, 'held_until_complete'],
  // A storage file is referred to its provider; approval governs only our own links to it, not the referral.
  ['external_disk', true, false, 'referral'],
  ['external_disk', true, true, 'referral'],
  ['external_disk', false, false, 'held_until_complete'],
  ['external_disk', false, true, 'held_until_complete'],
];

const matrix = CLASSIFICATIONS.flatMap((classification) =>
  ROLES.flatMap((role) =>
    KINDS.flatMap((kind) =>
      BOOLS.flatMap((complete) =>
        BOOLS.map((requireApproval) => {
          const acted =
            role === 'infringing' && kind === 'takedown'
              ? ACTED_ON.find(
                  ([c, done, approval]) => c === classification && done === complete && approval === requireApproval,
                )
              : undefined;
          return { classification, role, kind, complete, requireApproval, action: acted ? acted[3] : 'none' };
        }),
      ),
    ),
  ),
);

describe('linkAction', () => {
  it('covers every classification x role x kind x completeness x approval setting', () => {
    expect(matrix).toHaveLength(4 * 3 * 4 * 2 * 2);
    expect(matrix.filter((r) => r.action !== 'none')).toHaveLength(ACTED_ON.length);
  });

  it.each(matrix)(
    '$classification $role link in a $kind notice (complete: $complete, approval: $requireApproval) → $action',
    ({ classification, role, kind, complete, requireApproval, action }) => {
      expect(linkAction({ classification, role }, { kind, complete }, requireApproval)).toBe(action);
    },
  );
});
