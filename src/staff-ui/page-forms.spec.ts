import 'reflect-metadata';
import { CreateStaffUserDto } from '../auth/dto/create-staff-user.dto';
import {
  AssignForm,
  BulkForm,
  ElementForm,
  LinksForm,
  NoteForm,
  ReasonTemplateForm,
  SortingForm,
  TransitionForm,
  UpdateUserForm,
} from './dto/page-forms';
import { echoedValues, PageFormPipe } from './page-form';

const pipe = new PageFormPipe();
const read = (metatype: new () => object, body: Record<string, unknown>) =>
  pipe.transform(body, { type: 'custom', metatype });
const refusal = async (metatype: new () => object, body: Record<string, unknown>): Promise<string> => {
  try {
    await read(metatype, body);
  } catch (error) {
    return (error as { getResponse(): { message: string } }).getResponse().message;
  }
  throw new Error('the form was accepted');
};
const ID = '3f1c1f0e-8f4b-4a57-9d3c-2b1a7f0e9c11';

describe('page forms', () => {
  it.each<[string, new () => object, Record<string, unknown>, Record<string, unknown>]>([
    ['"none" assigns nobody', AssignForm, { assigneeId: 'none', _csrf: 't' }, { assigneeId: null }],
    ['one ticked box is a list of one', LinksForm, { linkIds: ID, action: 'approve' }, { linkIds: [ID] }],
    [
      'yes and no are true and false',
      ElementForm,
      { element: 'signature', present: 'no', reason: ' x ' },
      { present: false, reason: 'x' },
    ],
    [
      'a provider only for a storage link',
      SortingForm,
      { classification: 'internal', provider: 'mega', reason: 'r' },
      { provider: undefined },
    ],
    [
      'bulk reads only the fields of its action',
      BulkForm,
      { action: 'assign', references: 'DMCA-1', assigneeId: 'none', reason: 'r' },
      { references: ['DMCA-1'], assigneeId: null, reason: undefined },
    ],
    ['"false" enables an account', UpdateUserForm, { disabled: 'false' }, { disabled: false }],
    [
      'a password is passed on untrimmed',
      CreateStaffUserDto,
      { email: 'a@example.org', name: 'A', role: 'viewer', password: ' twelve chars ' },
      { password: ' twelve chars ' },
    ],
  ])('reads a browser post: %s', async (_what, metatype, body, expected) => {
    expect(await read(metatype, body)).toMatchObject(expected);
  });

  it.each<[string, new () => object, Record<string, unknown>, string]>([
    ['an empty field says what to do', NoteForm, { text: '   ' }, 'Write the note first.'],
    ['no ticked link', LinksForm, { action: 'approve' }, 'Tick at least one link first.'],
    [
      'a restore without its reason',
      LinksForm,
      { action: 'restore', linkIds: [ID] },
      'Write why the links are put back, in Reason.',
    ],
    ['no status chosen', TransitionForm, {}, 'Choose the status to move the case to.'],
    [
      'the API rules still apply',
      TransitionForm,
      { to: 'lost' },
      'to must be one of the following values: received, needs_info, in_review, actioned, closed, rejected, withdrawn.',
    ],
    ['nobody chosen to assign', AssignForm, {}, 'Choose whom to assign the case to.'],
    [
      'a bulk reject without a reason',
      BulkForm,
      { action: 'reject', references: ['DMCA-1'] },
      'Choose a reason template or write a reason to reject.',
    ],
    ['nothing to change', UpdateUserForm, {}, 'Nothing to change.'],
    ['the same message once', ReasonTemplateForm, {}, 'A template needs a title and words.'],
    [
      'a link id that is not one',
      LinksForm,
      { action: 'approve', linkIds: ['x'] },
      'each value in linkIds must be a UUID.',
    ],
  ])('refuses with 422: %s', async (_what, metatype, body, message) => {
    expect(await refusal(metatype, body)).toBe(message);
  });

  it('shows back what was typed, never the CSRF token or a password', () => {
    expect(
      echoedValues({ _csrf: 't', password: 'secret secret', name: ' Ann ', empty: ' ', roles: ['a', ''] }),
    ).toEqual({
      name: 'Ann',
      roles: ['a'],
    });
  });
});
