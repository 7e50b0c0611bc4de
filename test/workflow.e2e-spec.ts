import { NotFoundException } from '@nestjs/common';
import type { Client } from 'pg';
import { DataSource } from 'typeorm';
import { CaseStatus } from '../src/cases/case.entity';
import { CaseTransitionsService } from '../src/cases/case-transitions.service';
import { canTransition, CaseTransitionError } from '../src/cases/case-workflow';
import { slaConfig } from '../src/core/config';
import { dataSourceOptions } from '../src/core/database/data-source-options';
import { TEST_DATABASE_URL } from './support/env';
import { completeNotice, postJson } from './support/factories';
import { auditTrailWithTexts, db, type RunningApi, startApi, uniqueId } from './support/harness';

jest.setTimeout(60_000);

describe('case workflow, against the real database', () => {
  let api: RunningApi;
  let client: Client;
  let dataSource: DataSource;
  let transitions: CaseTransitionsService;

  beforeAll(async () => {
    client = await db();
    api = await startApi();
    dataSource = await new DataSource(dataSourceOptions(TEST_DATABASE_URL, 2)).initialize();
    transitions = new CaseTransitionsService(dataSource, slaConfig());
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await api?.close();
    await client?.end();
  });

  const newCase = async (): Promise<string> => {
    const res = await postJson(api.url, '/api/v1/notices', completeNotice([`https://example.com/d/${uniqueId()}`]));
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('received');
    return res.body.caseId as string;
  };
  const statusOf = async (caseId: string): Promise<string> =>
    (await client.query(`SELECT status FROM cases WHERE id = $1`, [caseId])).rows[0].status;
  /** The case's moves, their reasons read from case_texts. */
  const transitionsOf = async (caseId: string): Promise<{ actor: string; detail: Record<string, unknown> }[]> =>
    (await auditTrailWithTexts(client, caseId))
      .filter((e) => e.action === 'case.transitioned')
      .map(({ actor, detail }) => ({ actor, detail }));

  it('moves a case and writes who, what and why to the audit log', async () => {
    const caseId = await newCase();
    await expect(transitions.transition(caseId, CaseStatus.InReview, 'staff-1')).resolves.toEqual({
      caseId,
      from: 'received',
      to: 'in_review',
      reasonText: null,
    });
    await transitions.transition(caseId, CaseStatus.Rejected, 'staff-2', 'Not our site');
    expect(await statusOf(caseId)).toBe('rejected');
    expect(await transitionsOf(caseId)).toEqual([
      { actor: 'staff-1', detail: { from: 'received', to: 'in_review', reasonText: null } },
      { actor: 'staff-2', detail: { from: 'in_review', to: 'rejected', reasonText: 'Not our site' } },
    ]);
  });

  it('refuses a move the workflow forbids, names it, and changes nothing', async () => {
    const caseId = await newCase();
    await transitions.transition(caseId, CaseStatus.Withdrawn, 'staff-1', 'Sender withdrew');
    const attempt = transitions.transition(caseId, CaseStatus.InReview, 'staff-1', 'reopen please');
    await expect(attempt).rejects.toThrow(CaseTransitionError);
    await expect(attempt).rejects.toThrow(/from withdrawn to in_review/);
    expect(await statusOf(caseId)).toBe('withdrawn');
    expect(await transitionsOf(caseId)).toHaveLength(1);
  });

  it('refuses a rejection without a reason', async () => {
    const caseId = await newCase();
    await expect(transitions.transition(caseId, CaseStatus.Rejected, 'staff-1', '')).rejects.toThrow(/needs a reason/);
    expect(await statusOf(caseId)).toBe('received');
    expect(await transitionsOf(caseId)).toEqual([]);
  });

  it('answers an unknown case with not found', async () => {
    await expect(
      transitions.transition('00000000-0000-4000-8000-000000000000', CaseStatus.InReview, 'staff-1'),
    ).rejects.toThrow(NotFoundException);
  });

  it('allows and refuses every pair exactly as the table says', async () => {
    const caseId = await newCase();
    const all = Object.values(CaseStatus);
    let written = 0;
    for (const from of all) {
      for (const to of all) {
        // Put the case in `from` directly: the fixture, not the code under test.
        await client.query(`UPDATE cases SET status = $2 WHERE id = $1`, [caseId, from]);
        const outcome = await transitions.transition(caseId, to, 'staff-1', 'table check').then(
          () => 'allowed',
          (error: unknown) => (error instanceof CaseTransitionError ? 'refused' : error),
        );
        expect({ from, to, outcome }).toEqual({ from, to, outcome: canTransition(from, to) ? 'allowed' : 'refused' });
        expect(await statusOf(caseId)).toBe(outcome === 'allowed' ? to : from);
        if (outcome === 'allowed') written++;
      }
    }
    expect(written).toBe(18);
    expect(await transitionsOf(caseId)).toHaveLength(written);
  });
});
