import { registerAs } from '@nestjs/config';
import { IsInt, IsNumber, Matches, Max, Min } from 'class-validator';
import { splitList, validateEnv } from './validate-env';

/**
 * Signs of a bad-faith notice (17 U.S.C. 512(f)) shown to staff on the case page. They are only shown: nothing is
 * routed, held or refused for them.
 */
export class NotifierEnv {
  /** Share of a case's reported infringing links that the site does not have, above which the case is flagged. */
  @IsNumber() @Min(0) @Max(1) BAD_FAITH_NOT_FOUND_SHARE = 0.5;
  /** The not-found share is judged only for a case with at least this many links. */
  @IsInt() @Min(1) @Max(100000) BAD_FAITH_NOT_FOUND_MIN_LINKS = 5;
  /** Share of a notifier's earlier notices that were rejected above which its new notice is flagged. */
  @IsNumber() @Min(0) @Max(1) BAD_FAITH_REJECTED_SHARE = 0.5;
  /** The rejected share is judged only for a notifier with at least this many earlier notices. */
  @IsInt() @Min(1) @Max(100000) BAD_FAITH_REJECTED_MIN_NOTICES = 3;
  /** Comma-separated /software/<slug> prefixes of the site's public-licence pages; none by default. */
  @Matches(/^(\/software\/[^\s,]*)?(\s*,\s*\/software\/[^\s,]*)*$/, {
    message: 'PUBLIC_LICENCE_PAGES must be a comma list of /software/<slug> prefixes',
  })
  PUBLIC_LICENCE_PAGES = '';
}

export const notifierConfig = registerAs('notifier', () => {
  const env = validateEnv(NotifierEnv);
  return {
    notFoundShare: env.BAD_FAITH_NOT_FOUND_SHARE,
    notFoundMinLinks: env.BAD_FAITH_NOT_FOUND_MIN_LINKS,
    rejectedShare: env.BAD_FAITH_REJECTED_SHARE,
    rejectedMinNotices: env.BAD_FAITH_REJECTED_MIN_NOTICES,
    publicLicencePages: splitList(env.PUBLIC_LICENCE_PAGES),
  };
});
export type NotifierConfig = ReturnType<typeof notifierConfig>;
