import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChildProcess } from 'node:child_process';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  EMULATOR_DEFAULTS,
  startEmulator,
  type RequestLogEntry,
  type RunningEmulator,
} from '../../src/emulator/server.js';
import { createRandom } from '../../src/emulator/random.js';
import { collect, makeWorkspace, runCli, startCli } from '../helpers/cli.js';
import { swissNumbers, textSpec } from '../helpers/specs.js';

const MESSAGES = 5000;
const BATCH = 10;
const CONCURRENCY = 4;
const KILLS = 10;
/** Time the client needs to journal an answer it got; an answer older than this at a kill was recorded. */
const JOURNAL_SLACK_MS = 800;

/** The next send request answered that `matches`, or undefined when `child` exits first. */
function nextAnswer(
  emulator: RunningEmulator,
  child: ChildProcess,
  matches: (entry: Readonly<RequestLogEntry>) => boolean,
): Promise<Readonly<RequestLogEntry> | undefined> {
  return new Promise((resolve) => {
    const finish = (entry?: Readonly<RequestLogEntry>) => {
      off();
      child.off('exit', onExit);
      resolve(entry);
    };
    const onExit = () => finish();
    const off = emulator.onAnswer((entry) => {
      if (matches(entry)) finish(entry);
    });
    child.once('exit', onExit);
    if (child.exitCode !== null) finish();
  });
}

/** Reads a journal as it grows: each messageId's last record (`in-flight` or `outcome`). */
function journalTail(dir: string): { read: () => Promise<ReadonlyMap<string, string>> } {
  const last = new Map<string, string>();
  let offset = 0;
  let partial = '';
  return {
    read: async () => {
      const handle = await open(join(dir, '.waspec', 'journal.ndjson'), 'r').catch(() => undefined);
      if (handle) {
        try {
          const { size } = await handle.stat();
          if (size > offset) {
            const buffer = Buffer.alloc(size - offset);
            await handle.read(buffer, 0, buffer.length, offset);
            offset = size;
            const lines = (partial + buffer.toString('utf8')).split('\n');
            partial = lines.pop() ?? '';
            for (const line of lines) {
              if (!line.endsWith('}')) continue;
              const record = JSON.parse(line) as {
                messages?: Array<{ messageId: string }>;
                results?: Array<{ messageId: string }>;
              };
              for (const m of record.messages ?? []) last.set(m.messageId, 'in-flight');
              for (const r of record.results ?? []) last.set(r.messageId, 'outcome');
            }
          }
        } finally {
          await handle.close();
        }
      }
      return last;
    },
  };
}

/** Checks `condition` until it holds; fails after `timeoutMs` rather than hanging the run. */
async function waitUntilAsync(
  condition: () => Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** messageIds whose last journal record is in flight: what the next plan lists as in doubt. */
async function inDoubtIds(dir: string): Promise<Set<string>> {
  const last = new Map<string, string>();
  const text = await readFile(join(dir, '.waspec', 'journal.ndjson'), 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    if (!line.endsWith('}')) continue; // a torn tail
    const record = JSON.parse(line) as {
      type: string;
      messages?: Array<{ messageId: string }>;
      results?: Array<{ messageId: string }>;
    };
    for (const m of record.messages ?? []) last.set(m.messageId, 'in-flight');
    for (const r of record.results ?? []) last.set(r.messageId, 'outcome');
  }
  return new Set([...last].filter(([, type]) => type === 'in-flight').map(([id]) => id));
}

/**
 * Messages left in doubt by a kill at `killedAt` although nothing of theirs was out then: their last
 * request had been answered (refused while throttled, or accepted) long enough before the kill.
 */
function notOutAtKill(ids: Iterable<string>, log: RequestLogEntry[], killedAt: number): string[] {
  const lastAnswer = new Map<string, RequestLogEntry>();
  for (const entry of log) {
    if (entry.receivedAt > killedAt) continue;
    for (const id of entry.messageIds) lastAnswer.set(id, entry);
  }
  return [...ids].filter((id) => {
    const entry = lastAnswer.get(id);
    return (
      entry?.answeredAt !== undefined &&
      entry.answer !== 'reset' &&
      entry.answeredAt < killedAt - JOURNAL_SLACK_MS
    );
  });
}

test(`apply of ${MESSAGES} messages SIGKILLed ${KILLS} times while throttled: no duplicates, nothing lost, in doubt only what was out`, async () => {
  const { dir, cleanup } = await makeWorkspace(
    textSpec('crash', swissNumbers(MESSAGES), 'Our store opens at 9.', BATCH),
  );
  // Throttled: many requests are answered 429 and wait out a Retry-After of a second or more.
  const emulator = await startEmulator({ latencyMs: 25, throttleRps: 30 });
  const env = {
    WASPEC_BASE_URL: emulator.url,
    WASPEC_APP_KEY: EMULATOR_DEFAULTS.appKey,
    WASPEC_APP_SECRET: EMULATOR_DEFAULTS.appSecret,
  };
  const random = createRandom(2026);
  try {
    let kills = 0;
    let killedWhileWaiting = 0;
    const outOfBound: string[] = [];
    for (let round = 0; round < KILLS * 3 && kills < KILLS; round++) {
      const before = await inDoubtIds(dir);
      const startedAt = Date.now();
      const child = startCli(
        ['apply', '--yes', '--force-unlock', '--concurrency', String(CONCURRENCY)],
        { cwd: dir, env },
      );
      const done = collect(child);
      // Every other kill follows the event it needs: a request of this run refused (429) and the
      // refusal journalled, so the kill comes while it waits out its Retry-After. The others come
      // at a random moment after the first answer.
      const waiting = round % 2 === 0;
      const answer = await nextAnswer(
        emulator,
        child,
        (e) => e.receivedAt >= startedAt && (!waiting || e.answer === 429),
      );
      if (answer && waiting) {
        const refused = new Set(answer.messageIds);
        const journal = journalTail(dir);
        await waitUntilAsync(async () => {
          if (child.exitCode !== null) return true;
          const last = await journal.read();
          return [...refused].every((id) => last.get(id) === 'outcome');
        }, 'the refusal journalled');
      } else if (answer) {
        await new Promise((r) => setTimeout(r, Math.floor(random() * 1500)));
      }
      const killedAt = Date.now();
      if (child.kill('SIGKILL')) kills++;
      const result = await done;
      assert.ok(result.signal === 'SIGKILL' || result.code === 0, `run ${round}: ${result.stderr}`);
      const log = emulator.requestLog();
      // Still waiting at the kill: none of the refused messages went out again before it.
      if (answer && waiting && result.signal === 'SIGKILL') {
        const refused = new Set(answer.messageIds);
        const resent = log.some(
          (e) =>
            e.receivedAt > (answer.answeredAt ?? 0) &&
            e.receivedAt <= killedAt &&
            e.messageIds.some((id) => refused.has(id)),
        );
        if (!resent) killedWhileWaiting++;
      }
      const added = [...(await inDoubtIds(dir))].filter((id) => !before.has(id));
      outOfBound.push(...notOutAtKill(added, log, killedAt));
    }
    assert.is(kills, KILLS);
    assert.ok(
      killedWhileWaiting > 0,
      'some kills came while refused requests waited out their Retry-After',
    );
    assert.equal(outOfBound, [], 'in doubt only what was out at the kills');
    const final = await runCli(['apply', '--yes', '--force-unlock'], { cwd: dir, env });
    assert.is(final.code, 0, final.stdout + final.stderr);

    const stats = emulator.stats();
    assert.is(stats.duplicates, 0, 'no messageId reached the API twice');
    const plan = await runCli(['plan', '--format', 'json'], { cwd: dir, env });
    const entries = (
      JSON.parse(plan.stdout) as { entries: Array<{ action: string; messageId: string }> }
    ).entries;
    assert.is(entries.length, MESSAGES);
    const byAction = new Map<string, number>();
    for (const e of entries) byAction.set(e.action, (byAction.get(e.action) ?? 0) + 1);
    const unchanged = byAction.get('unchanged') ?? 0;
    const inDoubt = byAction.get('in-doubt') ?? 0;
    assert.is(
      unchanged + inDoubt,
      MESSAGES,
      `every message accepted or in doubt: ${JSON.stringify([...byAction])}`,
    );
    assert.ok(
      inDoubt <= KILLS * CONCURRENCY * BATCH,
      `in doubt ${inDoubt} ≤ what can be in flight at the kills`,
    );
    // Every message recorded as accepted reached the API; in doubt ones may or may not have.
    const received = new Set(
      (
        (await (await fetch(`${emulator.url}/_emulator/messages`)).json()) as Array<{
          messageId: string;
        }>
      ).map((m) => m.messageId),
    );
    const missing = entries.filter((e) => e.action === 'unchanged' && !received.has(e.messageId));
    assert.is(missing.length, 0, 'recorded accepted but never received');
    assert.ok(received.size >= unchanged);
    console.log(
      `  crash test: ${kills} kills (${killedWhileWaiting} refused requests waiting at kills), ${unchanged} accepted, ${inDoubt} in doubt, ${stats.requests} requests, 0 duplicates`,
    );
  } finally {
    await emulator.close();
    await cleanup();
  }
});

test('killed while waiting out a 429: the refused requests are retried, not in doubt', async () => {
  // Four messages with different content: four requests, some of them refused by the throttle.
  const phones = swissNumbers(4, 5000000);
  const rows = phones.map((p, i) => `${p},${i}`).join('\n');
  const { dir, cleanup } = await makeWorkspace({
    'specs/four.yaml':
      'name: four\nrevision: 1\nwhatsApp: { text: "Code {{code}}" }\nrecipients:\n  - file: four.csv\n',
    'specs/four.csv': `phoneNumber,code\n${rows}\n`,
  });
  const emulator = await startEmulator({ throttleRps: 1 });
  const env = {
    WASPEC_BASE_URL: emulator.url,
    WASPEC_APP_KEY: EMULATOR_DEFAULTS.appKey,
    WASPEC_APP_SECRET: EMULATOR_DEFAULTS.appSecret,
  };
  try {
    const child = startCli(['apply', '--yes', '--concurrency', '4'], { cwd: dir, env });
    const done = collect(child);
    // The kill follows the event it needs: every request answered and journalled, some refused
    // (the run goes on only while one waits out its Retry-After).
    const journal = journalTail(dir);
    await waitUntilAsync(async () => {
      assert.is(child.exitCode, null, 'killed before everything went through');
      const last = await journal.read();
      return (
        emulator.stats().accepted < 4 &&
        last.size === 4 &&
        [...last.values()].every((type) => type === 'outcome')
      );
    }, 'every request answered and journalled, some refused');
    child.kill('SIGKILL');
    await done;
    const plan = await runCli(['plan', '--format', 'json'], { cwd: dir, env });
    const actions = (JSON.parse(plan.stdout) as { entries: Array<{ action: string }> }).entries.map(
      (e) => e.action,
    );
    const count = (action: string) => actions.filter((a) => a === action).length;
    const accepted = emulator.stats().accepted;
    assert.ok(accepted < 4, 'killed before everything went through');
    assert.is(
      count('in-doubt'),
      0,
      `nothing was out without an answer: ${JSON.stringify(actions)}`,
    );
    assert.is(count('unchanged'), accepted);
    assert.is(count('retry'), 4 - accepted);
  } finally {
    await emulator.close();
    await cleanup();
  }
});

test.run();
