import { parentPort } from 'node:worker_threads';
import { analyseNotice, type NoticeAnalysisInput } from './notice-analysis';
import type { WorkerReply } from './text-worker-pool';

/** A worker thread of the text pool: reads notices one at a time, answers each with its analysis or its error. */
const port = parentPort;
if (port) {
  port.on('message', (input: NoticeAnalysisInput) => {
    let reply: WorkerReply;
    try {
      reply = { ok: true, value: analyseNotice(input) };
    } catch (e) {
      reply = { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
    port.postMessage(reply);
  });
  port.postMessage({ ready: true });
}
