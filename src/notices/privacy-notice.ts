/**
 * The version of the privacy notice shown on the form (templates/pages/notice-form.hbs). Change it whenever that
 * text changes: each consent is recorded in the case's audit log with the version the sender agreed to.
 */
export const PRIVACY_NOTICE_VERSION = '2026-11-29';
