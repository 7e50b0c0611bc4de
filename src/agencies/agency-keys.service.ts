import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { accountEvent } from '../auth/account-events';
import { Agency } from './agency.entity';
import { sha256 } from '../auth/staff-auth.service';

export const AGENCY_KEY_PREFIX = 'tda_';
const KEY_SHAPE = /^tda_[A-Za-z0-9_-]{43}$/;

/** Who a request acts as once its agency key has been checked. */
export interface AgencyPrincipal {
  id: string;
  name: string;
  /** Designated a trusted flagger (DSA Art. 22): the auto-action policy weighs it. */
  trustedFlagger: boolean;
}

/** Agencies and their API keys. The key is shown once when the agency is created; only its SHA-256 is stored. */
@Injectable()
export class AgencyKeysService {
  constructor(private readonly dataSource: DataSource) {}

  /** Makes an agency with a new key; the plain key is returned here once and never again. */
  async create(name: string, contactEmail: string, createdBy: string | null): Promise<{ agency: Agency; key: string }> {
    const key = AGENCY_KEY_PREFIX + randomBytes(32).toString('base64url');
    const agency = await this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(Agency);
      const saved = await repo.save(
        repo.create({ name: name.trim(), contactEmail: contactEmail.trim(), keyHash: sha256(key), createdBy }),
      );
      await accountEvent(m, createdBy ?? 'system', 'agency.created', saved.id, { name: saved.name });
      return saved;
    });
    return { agency, key };
  }

  /** Every agency, revoked ones included, newest first. */
  list(): Promise<Agency[]> {
    return this.dataSource.getRepository(Agency).find({ order: { createdAt: 'DESC', id: 'DESC' } });
  }

  /**
   * Marks the agency a trusted flagger (DSA Art. 22) with the authority that designated it and its area, or
   * (null) ends it; null when there is no such agency. Notices filed from then on get the trusted flagger's service
   * level and place in the queue.
   */
  async setTrustedFlagger(
    id: string,
    designation: { authority: string; area: string } | null,
    actor: string,
  ): Promise<Agency | null> {
    return this.dataSource.transaction(async (m) => {
      const [row] = await m.query<{ id: string }[]>(
        `WITH changed AS (
           UPDATE agencies SET trusted_flagger_since = CASE WHEN $2::text IS NULL THEN NULL
                                                            ELSE COALESCE(trusted_flagger_since, now()) END,
                               trusted_flagger_authority = $2, trusted_flagger_area = $3
           WHERE id = $1 RETURNING id)
         SELECT id FROM changed`,
        [id, designation?.authority.trim() ?? null, designation?.area.trim() ?? null],
      );
      if (!row) return null;
      await accountEvent(m, actor, designation ? 'agency.trusted_flagger' : 'agency.trusted_flagger_ended', id, {
        authority: designation?.authority ?? null,
        area: designation?.area ?? null,
      });
      return m.getRepository(Agency).findOneByOrFail({ id });
    });
  }

  /** Revokes the agency's key; false when there is no such agency with a live key. Its cases stay. */
  async revoke(id: string, actor: string): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const [revoked] = await m.query<{ name: string }[]>(
        `WITH revoked AS (UPDATE agencies SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING name)
         SELECT name FROM revoked`,
        [id],
      );
      if (!revoked) return false;
      await accountEvent(m, actor, 'agency.revoked', id, { name: revoked.name });
      return true;
    });
  }

  /**
   * The agency whose live key this is, or null. last_used_at is written at most once a minute, so that a busy
   * agency's requests do not each cost a write.
   */
  async verify(key: string): Promise<AgencyPrincipal | null> {
    if (!KEY_SHAPE.test(key)) return null;
    const rows = await this.dataSource.query<AgencyPrincipal[]>(
      `WITH found AS (
         SELECT id, name, last_used_at, trusted_flagger_since FROM agencies WHERE key_hash = $1 AND revoked_at IS NULL
       ), touched AS (
         UPDATE agencies a SET last_used_at = now()
         FROM found f
         WHERE a.id = f.id AND (f.last_used_at IS NULL OR f.last_used_at < now() - interval '1 minute')
       )
       SELECT id, name, trusted_flagger_since IS NOT NULL AS "trustedFlagger" FROM found`,
      [sha256(key)],
    );
    return rows[0] ?? null;
  }
}
