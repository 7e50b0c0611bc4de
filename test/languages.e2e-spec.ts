import 'reflect-metadata';
import type { TestingModule } from '@nestjs/testing';
import type { Client } from 'pg';
import { isolatedDatabase, isolatedDatabaseUrl } from './support/database';
import { postJson } from './support/factories';
import { type RunningApi, startApi, startMailWorker, uniqueId, uniquePrefix, waitFor } from './support/harness';
import { compose, freePort, sendRaw } from './support/mail-fixtures';
import { SmtpSink } from './support/smtp-sink';

jest.setTimeout(120_000);

// Its own database: its worker sends mail, and must neither take other files' letters nor leave them its own.
const SUFFIX = 'languages';
const DATABASE_URL = isolatedDatabaseUrl(SUFFIX);
const INTAKE = 'dmca@example.com';
const HAN = /[\u4e00-\u9fff]/;

/** Notices as senders really write them when they have never read 512(c)(3): each lacks the formal statements. */
const informal = (n: number) =>
  `Hi there,\n\nsomeone uploaded our game "Starfall Tactics ${n}" to your site at https://example.com/d/${n} ` +
  `without our permission. We own the copyright. Please take it down.\n\nMike\nLumen Games`;
const chinese = (n: number) =>
  `您好：\n\n贵站未经授权提供我公司软件《星火编辑器 ${n}》的下载，链接如下：https://example.com/d/${n}\n` +
  `我公司是该软件的著作权人，请尽快删除上述链接。\n\n联系人：王先生\n邮箱：wang@xinghuo-soft.example`;

describe("informal and Chinese notices reach the deficiency letter in their sender's language", () => {
  const sink = new SmtpSink();
  let client: Client;
  let running: RunningApi;
  let worker: TestingModule;
  let smtpPort: number;

  beforeAll(async () => {
    client = await isolatedDatabase(SUFFIX);
    await sink.start();
    smtpPort = await freePort();
    const env = {
      DATABASE_URL,
      QUEUE_PREFIX: uniquePrefix(),
      SMTP_URL: sink.url,
      SMTP_LISTEN_PORT: String(smtpPort),
      SMTP_LISTEN_HOST: '127.0.0.1',
      INBOUND_ADDRESSES: INTAKE,
    };
    running = await startApi(env);
    worker = await startMailWorker(env);
  });

  afterAll(async () => {
    await worker?.close();
    await running?.close();
    await sink.stop();
    await client?.end();
  });

  it.each([
    ['informal, by the API', 'en', 'api'],
    ['informal, by email', 'en', 'email'],
    ['Chinese, by the API', 'zh-Hans', 'api'],
    ['Chinese, by email', 'zh-Hans', 'email'],
  ])('%s', async (_, language, channel) => {
    const n = uniqueId();
    const email = language === 'en' ? `mike.${n}@lumengames.example` : `wang.${n}@xinghuo-soft.example`;
    const text = (language === 'en' ? informal(n) : chinese(n)).replace(/[a-z.]+@[a-z.-]+\.example/, email);
    if (channel === 'api') {
      const filed = await postJson(running.url, '/api/v1/notices', {
        text,
        complainant: { name: language === 'en' ? 'Mike Harlan' : '王先生', email, role: 'owner' },
      });
      expect(filed.status).toBe(201);
      expect(filed.body.kind).toBe('takedown');
      expect(filed.body.missing.length).toBeGreaterThan(0);
    } else {
      await sendRaw(
        smtpPort,
        await compose({ from: email, to: INTAKE, subject: language === 'en' ? 'Our game' : '侵权通知', text }),
        { from: email, to: [INTAKE] },
      );
    }
    const letter = await waitFor(`the deficiency letter to ${email}`, () =>
      Promise.resolve(sink.to(email).find((m) => /deficien|incomplete|缺|不完整|补充/i.test(m.parsed.subject ?? ''))),
    );
    const body = `${letter.parsed.subject ?? ''}\n${letter.parsed.text ?? ''}`;
    if (language === 'zh-Hans') expect(body).toMatch(HAN);
    else expect(body).not.toMatch(HAN);
    const { rows } = await client.query<{ language: string; kind: string }>(
      `SELECT n.language, c.kind FROM notices n JOIN cases c ON c.id = n.case_id
       WHERE n.sender_email_hash IS NOT NULL ORDER BY n.received_at DESC LIMIT 1`,
    );
    expect(rows[0]).toEqual({ language, kind: 'takedown' });
  });
});
