/**
 * The version of the privacy notice: the short one on the form (templates/pages/notice-form.hbs) and the full one it
 * links to (templates/pages/privacy-notice.hbs, GET /privacy). Change it whenever either text changes: each consent
 * is recorded in the case's audit log with the version the sender agreed to.
 */
export const PRIVACY_NOTICE_VERSION = '2026-11-30';
