import { LettersEnv } from './letters.config';
import { ConfigError, validateEnv } from './validate-env';

describe('letters configuration', () => {
  it('caps at 5 letters an hour by default, and takes decimal minutes', () => {
    expect(validateEnv(LettersEnv, {})).toMatchObject({ LETTER_CAP_PER_RECIPIENT: 5, LETTER_CAP_WINDOW_MINUTES: 60 });
    expect(validateEnv(LettersEnv, { LETTER_CAP_WINDOW_MINUTES: '0.25' }).LETTER_CAP_WINDOW_MINUTES).toBe(0.25);
    expect(validateEnv(LettersEnv, { LETTER_CAP_PER_RECIPIENT: '0' }).LETTER_CAP_PER_RECIPIENT).toBe(0);
  });

  it.each([
    [{ LETTER_CAP_PER_RECIPIENT: 'five' }, 'LETTER_CAP_PER_RECIPIENT'],
    [{ LETTER_CAP_PER_RECIPIENT: '-1' }, 'LETTER_CAP_PER_RECIPIENT'],
    [{ LETTER_CAP_WINDOW_MINUTES: '0' }, 'LETTER_CAP_WINDOW_MINUTES'],
    [{ LETTER_CAP_WINDOW_MINUTES: 'an hour' }, 'LETTER_CAP_WINDOW_MINUTES'],
  ])('refuses %p and names %s', (env, name) => {
    expect(() => validateEnv(LettersEnv, env)).toThrow(ConfigError);
    expect(() => validateEnv(LettersEnv, env)).toThrow(new RegExp(`^Invalid configuration:\\n  ${name}=`));
  });
});
