import { AccountEvent } from '../../auth/account-event.entity';
import { Agency } from '../../agencies/agency.entity';
import { ApiToken } from '../../auth/api-token.entity';
import { LoginAttempt } from '../../auth/login-attempt.entity';
import { StaffSession } from '../../auth/staff-session.entity';
import { StaffUser } from '../../auth/staff-user.entity';
import { AuditEvent } from '../../cases/audit-event.entity';
import { Case } from '../../cases/case.entity';
import { CaseText } from '../../cases/case-text.entity';
import { Party } from '../../cases/party.entity';
import { ReasonTemplate } from '../../triage/reason-template.entity';
import { ReportedLink } from '../../cases/reported-link.entity';
import { EvidenceFile } from '../../email-intake/evidence-file.entity';
import { InboundMessage } from '../../email-intake/inbound-message.entity';
import { ConfirmedRecipient } from '../../letters/confirmed-recipient.entity';
import { Letter } from '../../letters/letter.entity';
import { LetterRecipientWindow } from '../../letters/letter-recipient-window.entity';
import { IdempotencyKey } from '../../notices/idempotency-key.entity';
import { Notice } from '../../cases/notice.entity';
import { CounterNotice } from '../../cases/counter-notice.entity';
import { LegalHold } from '../../cases/legal-hold.entity';
import { UploaderLink } from '../../cases/uploader-link.entity';
import { ReconcileCount } from '../../reconcile/reconcile-count.entity';
import { DownloadLink } from '../../site/download-link.entity';
import { SoftwarePage } from '../../site/software-page.entity';
import { SuspendedUploader } from '../../site/suspended-uploader.entity';
import { Strike } from '../../strikes/strike.entity';
import { Complaint } from '../../complaints/complaint.entity';
import { UploaderEvent } from '../../strikes/uploader-event.entity';
import { UploaderStanding } from '../../strikes/uploader-standing.entity';
import { NotifierEvent } from '../../notifiers/notifier-event.entity';
import { NotifierStanding } from '../../notifiers/notifier-standing.entity';
import { Referral } from '../../takedowns/referral.entity';
import { Takedown } from '../../takedowns/takedown.entity';
import { OutboxMessage } from '../queue/outbox-message.entity';
import { WorkerHeartbeat } from '../health/worker-heartbeat.entity';
import { DataSubject } from '../privacy/data-subject.entity';
import { PrivacyKey } from '../privacy/privacy-key.entity';
import { RetentionRun } from '../../privacy/retention-run.entity';
import { PrivacyRequest, PrivacyRequestEvent } from '../../privacy/privacy-request.entity';

export const ENTITIES = [
  Case,
  Notice,
  CounterNotice,
  LegalHold,
  UploaderLink,
  IdempotencyKey,
  Party,
  ReportedLink,
  AuditEvent,
  CaseText,
  Takedown,
  Referral,
  Letter,
  LetterRecipientWindow,
  ConfirmedRecipient,
  OutboxMessage,
  WorkerHeartbeat,
  SoftwarePage,
  DownloadLink,
  SuspendedUploader,
  Strike,
  Complaint,
  UploaderStanding,
  UploaderEvent,
  NotifierStanding,
  NotifierEvent,
  InboundMessage,
  EvidenceFile,
  StaffUser,
  StaffSession,
  ApiToken,
  Agency,
  ReasonTemplate,
  AccountEvent,
  LoginAttempt,
  ReconcileCount,
  DataSubject,
  PrivacyKey,
  RetentionRun,
  PrivacyRequest,
  PrivacyRequestEvent,
];
