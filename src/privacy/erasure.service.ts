import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Something kept back from an erasure, and the reason the requester is told. */
export interface Retained {
  what: string;
  why: string;
}

export interface ErasureOutcome {
  /** done: nothing of theirs is left; partially_retained: `retained` says what a hold or the law keeps. */
  status: 'done' | 'partially_retained';
  retained: Retained[];
  /** The cases that held their data (their legal record stays, with the person shown as erased). */
  caseIds: string[];
}

/** What we hold about one person, for an access request: JSON-ready, decrypted. */
export interface SubjectExport {
  email: string;
  generatedAt: string;
  cases: {
    reference: string;
    role: string;
    receivedAt: string;
    status: string;
    /** Their personal data as held: field name → value. */
    data: Record<string, string | null>;
    notices: { channel: string; receivedAt: string; text: string | null }[];
    letters: { kind: string; sentAt: string | null; subject: string }[];
  }[];
  catalog: { page: string; field: string; value: string }[];
}

/**
 * Erasure, withholding and export of one person's data, by e-mail address, across every place in the README's
 * inventory. The privacy-request workflow and the CLI call it; it does not send mail or decide anything itself.
 */
@Injectable()
export class ErasureService {
  /** Whether we hold anything about this address (never told to a requester before they prove the address). */
  holdsAnything(m: EntityManager, email: string): Promise<boolean> {
    void m;
    void email;
    return Promise.reject(new Error('not implemented yet'));
  }

  /** A parent's request for a minor's data: hidden at once from every view, letter, export and job. */
  withhold(m: EntityManager, email: string): Promise<void> {
    void m;
    void email;
    return Promise.reject(new Error('not implemented yet'));
  }

  /** Ends withholding (a minor's request that staff rejected). */
  release(m: EntityManager, email: string): Promise<void> {
    void m;
    void email;
    return Promise.reject(new Error('not implemented yet'));
  }

  /** Erases the person's data everywhere, but what a legal hold or obligation keeps; audits counts per case. */
  erase(m: EntityManager, email: string, actor: string): Promise<ErasureOutcome> {
    void m;
    void email;
    void actor;
    return Promise.reject(new Error('not implemented yet'));
  }

  export(m: EntityManager, email: string): Promise<SubjectExport> {
    void m;
    void email;
    return Promise.reject(new Error('not implemented yet'));
  }

  /** Retention: removes the parties' personal data of one closed case, keeping its legal record. */
  eraseCaseData(m: EntityManager, caseId: string, actor: string): Promise<{ values: number }> {
    void m;
    void caseId;
    void actor;
    return Promise.reject(new Error('not implemented yet'));
  }
}
