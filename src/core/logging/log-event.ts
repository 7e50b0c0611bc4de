/**
 * The events of a notice's life that get exactly one info (or, when they fail, warn) line each, named by the line's
 * `event` field so that an operator can count them: the line names ids and counts, never a value from the notice.
 */
export enum LogEvent {
  NoticeReceived = 'notice.received',
  CaseRouted = 'case.routed',
  LetterSent = 'letter.sent',
  LetterFailed = 'letter.failed',
  TakedownDone = 'takedown.done',
  TakedownFailed = 'takedown.failed',
  RestorationDone = 'restoration.done',
}

/** What an event line may carry besides its message: ids, statuses and counts. */
export type LogEventFields = Record<string, string | number | boolean | null | string[]>;

/** The structured fields of an event's line, for `logger.log(message, eventFields(…))`. */
export function eventFields(event: LogEvent, fields: LogEventFields): { event: LogEvent } & LogEventFields {
  return { event, ...fields };
}
