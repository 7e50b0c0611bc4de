// A worker for the text pool's tests: "spin" runs forever (as a catastrophic regular expression would), "throw"
// throws, anything else is echoed back.
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (input) => {
  if (input === 'spin') for (;;);
  if (input === 'throw') {
    parentPort.postMessage({ ok: false, error: 'boom' });
    return;
  }
  parentPort.postMessage({ ok: true, value: input });
});
parentPort.postMessage({ ready: true });
