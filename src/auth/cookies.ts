export { readCookie } from '../core/http/cookies';

export const SESSION_COOKIE = 'td_session';
