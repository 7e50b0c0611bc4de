import type { AppConfig, PrivacyConfig } from '../core/config';
import { PRIVACY_NOTICE_VERSION } from '../notices/privacy-notice';

/** What the privacy notice (GET /privacy, templates/pages/privacy-notice.hbs) is generated from: the settings. */
export interface PrivacyNoticeView {
  version: string;
  siteName: string;
  controller: string;
  contactEmail: string;
  agent: AppConfig['agent'];
  authority: PrivacyConfig['authority'];
  retention: {
    rawMailDays: number;
    partyDataYears: number;
    apiAnswerDays: number;
    dispatchedDays: number;
    sessionDays: number;
  };
  requests: { days: number; minorHours: number; linkHours: number };
  requestUrl: string;
}

export function privacyNoticeView(app: AppConfig, privacy: PrivacyConfig): PrivacyNoticeView {
  return {
    version: PRIVACY_NOTICE_VERSION,
    siteName: app.siteName,
    controller: privacy.controller ?? app.siteName,
    contactEmail: privacy.contactEmail ?? app.agent.email,
    agent: app.agent,
    authority: privacy.authority,
    retention: { ...privacy.retention },
    requests: { ...privacy.requests },
    requestUrl: '/privacy/request',
  };
}
