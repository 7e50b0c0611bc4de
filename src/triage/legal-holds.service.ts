import { ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { audit } from '../cases/audit';
import { LegalHoldKind } from '../cases/legal-hold.entity';
import type { Actor } from './triage.service';

/** A legal hold as staff see it. Its reasons are staff's own words, kept in the hold's row (never in audit details). */
export interface LegalHoldView {
  id: string;
  kind: LegalHoldKind;
  reason: string;
  /** A staff id, or 'sender' for a suit the complainant recorded through their status page. */
  setBy: string;
  createdAt: Date;
  /** The counter-notice whose restoration a suit stopped. */
  counterNoticeId: string | null;
  documentName: string | null;
  documentSha256: string | null;
  releasedAt: Date | null;
  releasedBy: string | null;
  releaseReason: string | null;
}

const COLUMNS = `id, kind, reason, set_by AS "setBy", created_at AS "createdAt", counter_notice_id AS "counterNoticeId",
  document_name AS "documentName", document_sha256 AS "documentSha256", released_at AS "releasedAt",
  released_by AS "releasedBy", release_reason AS "releaseReason"`;

/**
 * Legal holds staff record and release: a preservation request (a 512(f) claim threatened, a regulator's or a
 * court's request to keep evidence), besides the suit holds counter-notices record. While a hold is in force nothing
 * of the case is removed by retention (privacy/retention.ts), and a suit hold stops the counter-notice's
 * restoration. Setting and releasing are audited with the hold's id and kind, by whom; why is in the hold's row.
 */
@Injectable()
export class LegalHoldsService {
  constructor(private readonly dataSource: DataSource) {}

  /** Puts a preservation hold on the case, with staff's reason. */
  set(reference: string, reason: string, actor: Actor): Promise<LegalHoldView> {
    const why = required(reason, 'Say why the case is held (for example, a 512(f) claim threatened).');
    return this.dataSource.transaction(async (m) => {
      const caseId = await this.caseId(m, reference);
      const [hold] = await m.query<LegalHoldView[]>(
        `INSERT INTO legal_holds (case_id, kind, reason, set_by) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
        [caseId, LegalHoldKind.Preservation, why, actor.id],
      );
      await audit(m, caseId, actor.id, 'legal_hold.set', { hold: hold.id, kind: hold.kind });
      return hold;
    });
  }

  /** Releases a hold in force, of either kind, with staff's reason. */
  release(reference: string, holdId: string, reason: string, actor: Actor): Promise<LegalHoldView> {
    const why = required(reason, 'Say why the hold is released.');
    return this.dataSource.transaction(async (m) => {
      const caseId = await this.caseId(m, reference);
      const [current] = await m.query<{ released_at: Date | null }[]>(
        `SELECT released_at FROM legal_holds WHERE id = $1 AND case_id = $2 FOR UPDATE`,
        [holdId, caseId],
      );
      if (!current) throw new NotFoundException(`${reference} has no legal hold ${holdId}.`);
      if (current.released_at) {
        throw new ConflictException(`This legal hold was already released, on ${current.released_at.toISOString()}.`);
      }
      const [hold] = await m.query<LegalHoldView[]>(
        `WITH u AS (UPDATE legal_holds SET released_at = now(), released_by = $2, release_reason = $3
                    WHERE id = $1 RETURNING *)
         SELECT ${COLUMNS} FROM u`,
        [holdId, actor.id, why],
      );
      await audit(m, caseId, actor.id, 'legal_hold.released', { hold: hold.id, kind: hold.kind });
      return hold;
    });
  }

  /** The case's id, its row locked: a hold and a retention run on the case never interleave. */
  private async caseId(m: EntityManager, reference: string): Promise<string> {
    const [kase] = await m.query<{ id: string }[]>(`SELECT id FROM cases WHERE reference = $1 FOR UPDATE`, [reference]);
    if (!kase) throw new NotFoundException(`No case ${reference}.`);
    return kase.id;
  }
}

/** A case's holds, oldest first (the case page, the triage API's case detail). */
export function legalHoldsOf(m: Pick<EntityManager, 'query'>, caseId: string): Promise<LegalHoldView[]> {
  return m.query<LegalHoldView[]>(`SELECT ${COLUMNS} FROM legal_holds WHERE case_id = $1 ORDER BY created_at, id`, [
    caseId,
  ]);
}

function required(text: string, message: string): string {
  const trimmed = text.trim();
  if (!trimmed) throw new UnprocessableEntityException(message);
  return trimmed;
}
