import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openPgStateStore } from '../../src/state/pg-state.js';
import { parsePostgresTarget } from '../../src/state/state-target.js';
import type { ApplyRunRow, NewRunRequest } from '../../src/state/types.js';
import { postgresBackends, withState } from '../helpers/state-backends.js';

/** Requests of one message each; the payload is any JSON (the summary parses it, not the state). */
function requestsOf(n: number): NewRunRequest[] {
  return Array.from({ length: n }, (_, seq) => ({
    bulkId: `b${seq}`,
    messages: 1,
    payload: { seq, body: `request ${seq}` },
  }));
}

for (const backend of await postgresBackends()) {
  test('[postgres] summaryRows hands over, a page at a time in seq order, only the done rows and those a gone worker left open', () =>
    withState(backend, async (state) => {
      const url = state.url ?? '';
      const open = () => openPgStateStore(parsePostgresTarget(url, 'w'));
      const [mine, gone, live] = [open(), open(), open()];
      try {
        const lock = await mine.lockWorker();
        const started = await mine.startRun(lock, {
          inputsDigest: 'inputs',
          stateDigest: (await mine.read()).digest,
          startedBy: 'test',
          requests: requestsOf(400),
          finish: () => ({ records: [] }),
        });
        assert.is(started.kind, 'started');
        if (started.kind !== 'started') return;
        const run = started.run;
        const worker = mine.worker(lock, run);
        // This worker answers 250 requests (seq 0-249).
        for (let i = 0; i < 250; i++) {
          const claimed = await worker.claim(() => []);
          if (!claimed) throw new Error('nothing to claim');
          await worker.finish(claimed.seq, { answered: claimed.seq }, []);
        }
        // A worker that dies with one request out (250) and one waiting out its backoff (251).
        const goneLock = await gone.lockWorker();
        await gone.joinRun(goneLock, run.id);
        const goneWorker = gone.worker(goneLock, run);
        const out = await goneWorker.claim(() => []);
        const waiting = await goneWorker.claim(() => []);
        if (!out || !waiting) throw new Error('nothing to claim');
        await goneWorker.mark(waiting.seq, 'waiting', []);
        await gone.close();
        // A live worker with one request out (252): it is still this run's, not counted yet.
        const liveLock = await live.lockWorker();
        await live.joinRun(liveLock, run.id);
        assert.ok(await live.worker(liveLock, run).claim(() => []));

        const pages: ApplyRunRow[][] = [];
        await worker.summaryRows((rows) => pages.push(rows));
        const rows = pages.flat();
        assert.ok(pages.length >= 2, `read in pages (${pages.map((p) => p.length).join(', ')})`);
        assert.equal(
          rows.map((r) => r.seq),
          Array.from({ length: 252 }, (_, seq) => seq),
          'the done rows and the gone worker\u2019s, in seq order; none pending, none a live worker has out',
        );
        assert.equal(rows[7], {
          seq: 7,
          bulkId: 'b7',
          messages: 1,
          phase: 'done',
          outcome: { answered: 7 },
        });
        assert.equal(rows[250], {
          seq: 250,
          bulkId: 'b250',
          messages: 1,
          phase: 'out',
          payload: { seq: 250, body: 'request 250' },
        });
        assert.is(rows[251]?.phase, 'waiting');
        assert.equal(rows[251]?.payload, { seq: 251, body: 'request 251' });
      } finally {
        await Promise.all([mine.close(), gone.close(), live.close()]);
      }
    }));
}

test.run();
