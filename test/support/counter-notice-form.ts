import type { Client } from 'pg';
import { completeNoticeFrom, createCatalogPage, postJson } from './factories';
import { drain, type RunningApi, uniqueId, waitFor } from './harness';
import { TEST_REDIS_URL } from './env';

/** A case whose download on our site the worker has taken down, filed through the JSON API. */
export async function takenDownCase(
  api: RunningApi,
  client: Client,
  prefix: string,
  complainant: string,
): Promise<{ url: string; reference: string; caseId: string }> {
  const page = await createCatalogPage(client);
  const url = `https://example.com/d/${page.downloads[0].id}`;
  const filed = await postJson(api.url, '/api/v1/notices', completeNoticeFrom(complainant, [url]));
  if (filed.status !== 201) throw new Error(`The notice was not filed: ${filed.status} ${JSON.stringify(filed.body)}`);
  await drain(client, TEST_REDIS_URL, prefix);
  await waitFor('the download to be taken down', async () => {
    const { rows } = await client.query(`SELECT status FROM reported_links WHERE case_id = $1 AND url = $2`, [
      filed.body.caseId,
      url,
    ]);
    return rows[0]?.status === 'taken_down';
  });
  return { url, reference: filed.body.reference as string, caseId: filed.body.caseId as string };
}

/** An uploader of the test's own: the contact details a complete counter-notice gives. */
export function uploaderDetails(): { name: string; email: string; phone: string; address: string; country: string } {
  return {
    name: 'Up Loader',
    email: `uploader-${uniqueId()}@site-user.test`,
    phone: '+1 555 0100',
    address: '1 Main Street, Springfield, IL 62701',
    country: 'United States',
  };
}
