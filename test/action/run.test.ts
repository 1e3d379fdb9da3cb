import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { EMULATOR_DEFAULTS, startEmulator } from '../../src/emulator/server.js';
import { collect, makeWorkspace, runCli, type CliResult } from '../helpers/cli.js';
import { emulatorEnv } from '../helpers/emulator.js';
import { swissNumbers, textSpec } from '../helpers/specs.js';

const RUN = fileURLToPath(new URL('../../action/run.mjs', import.meta.url));
const TOKEN = 'ghs_fakeTokenForTests0123456789abcdefABCDEF';

interface Comment {
  id: number;
  body: string;
  user?: { login: string };
}

const BOT = 'github-actions[bot]';

/**
 * A stand-in for GitHub's issue comment API on 127.0.0.1, recording every request. The token is
 * the workflow's GITHUB_TOKEN (GET /user refused, comments by github-actions[bot]) unless `login`
 * makes it a user's token.
 */
async function fakeGitHub(
  options: { failWith?: number; comments?: Comment[]; login?: string } = {},
) {
  const comments: Comment[] = options.comments ?? [];
  const requests: Array<{
    method: string;
    url: string;
    authorization?: string;
    body?: { body: string };
  }> = [];
  let nextId = 1000;
  const read = async (req: IncomingMessage) => {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    return text ? (JSON.parse(text) as { body: string }) : undefined;
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await read(req);
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        ...(body ? { body } : {}),
      });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.headers.authorization !== `Bearer ${TOKEN}`)
        return json(401, { message: 'Bad credentials' });
      if (options.failWith)
        return json(options.failWith, { message: 'Resource not accessible by integration' });
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.method === 'GET' && url.pathname === '/user')
        return options.login
          ? json(200, { login: options.login })
          : json(403, { message: 'Resource not accessible by integration' });
      if (req.method === 'GET' && url.pathname === '/repos/acme/specs/issues/7/comments') {
        const page = Number(url.searchParams.get('page') ?? 1);
        const size = Number(url.searchParams.get('per_page') ?? 30);
        return json(200, comments.slice((page - 1) * size, page * size));
      }
      if (req.method === 'POST' && url.pathname === '/repos/acme/specs/issues/7/comments' && body) {
        const created = { id: nextId++, body: body.body, user: { login: options.login ?? BOT } };
        comments.push(created);
        return json(201, created);
      }
      const patch = /^\/repos\/acme\/specs\/issues\/comments\/(\d+)$/.exec(url.pathname);
      if (req.method === 'PATCH' && patch && body) {
        const found = comments.find((c) => c.id === Number(patch[1]));
        if (!found) return json(404, { message: 'Not Found' });
        found.body = body.body;
        return json(200, found);
      }
      return json(404, { message: 'Not Found' });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    comments,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface ActionRun extends CliResult {
  outputs: Record<string, string>;
  summary: string;
}

/** Runs action/run.mjs as the composite step does: inputs as INPUT_*, the runner's files faked. */
async function runAction(
  dir: string,
  inputs: Record<string, string>,
  env: NodeJS.ProcessEnv = {},
): Promise<ActionRun> {
  const files = {
    output: join(dir, '.gh-output'),
    summary: join(dir, '.gh-summary'),
    event: join(dir, '.gh-event.json'),
  };
  await writeFile(files.output, '');
  await writeFile(files.summary, '');
  await writeFile(files.event, JSON.stringify({ pull_request: { number: 7 } }));
  const child = spawn(process.execPath, [RUN], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: files.event,
      GITHUB_REPOSITORY: 'acme/specs',
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      RUNNER_TEMP: dir,
      INPUT_GITHUB_TOKEN: TOKEN,
      ...Object.fromEntries(
        Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase().replace(/-/g, '_')}`, v]),
      ),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const result = await collect(child);
  const outputs = Object.fromEntries(
    (await readFile(files.output, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return { ...result, outputs, summary: await readFile(files.summary, 'utf8') };
}

function assertNoToken(run: ActionRun, extra: string[] = []): void {
  for (const text of [run.stdout, run.stderr, run.summary, JSON.stringify(run.outputs), ...extra])
    assert.not.ok(text.includes(TOKEN), 'the token is never printed');
}

test('action.yml: a composite action whose step gets every input and whose outputs come from that step', async () => {
  const action = parse(await readFile(new URL('../../action.yml', import.meta.url), 'utf8')) as {
    inputs: Record<string, unknown>;
    outputs: Record<string, { value: string }>;
    runs: { using: string; steps: Array<{ id: string; run: string; env: Record<string, string> }> };
  };
  assert.is(action.runs.using, 'composite');
  const step = action.runs.steps[0];
  assert.ok(step);
  assert.match(step.run, /action\/run\.mjs/);
  for (const name of Object.keys(action.inputs).filter((n) => n !== 'working-directory')) {
    assert.is(
      step.env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`],
      `\${{ inputs.${name} }}`,
      name,
    );
  }
  for (const [name, output] of Object.entries(action.outputs))
    assert.is(output.value, `\${{ steps.waspec.outputs.${name} }}`);
  for (const name of ['exit-code', 'has-changes', 'rejected', 'plan-file'])
    assert.ok(action.outputs[name], name);
});

test('plan: the markdown plan in the step summary, outputs from the exit code, one comment created then updated, the token never printed', async () => {
  const github = await fakeGitHub();
  const ws = await makeWorkspace(textSpec('promo', swissNumbers(3), 'Hello {{name}}'));
  try {
    const first = await runAction(
      ws.dir,
      { command: 'plan', comment: 'true' },
      { GITHUB_API_URL: github.url },
    );
    assert.is(first.code, 0, first.stdout + first.stderr);
    assert.equal(first.outputs['exit-code'], '2');
    assert.equal(first.outputs['has-changes'], 'true');
    assert.equal(first.outputs['to-send'], '3');
    assert.equal(first.outputs.errors, 'false');
    assert.match(first.outputs['plan-file'] ?? '', /plan\.json$/);
    assert.match(first.summary, /## waspec plan/);
    assert.match(first.summary, /3 to send/);
    assert.match(first.summary, /417\*\*\*\*0000/, 'numbers masked');
    assert.not.match(first.summary, /41791000000/);
    assert.is(github.comments.length, 1);
    assert.ok(github.comments[0]?.body.startsWith('<!-- waspec-plan -->\n## waspec plan'));
    assert.match(first.stdout, /created the plan comment on pull request #7/);

    const second = await runAction(
      ws.dir,
      { command: 'plan', comment: 'true' },
      { GITHUB_API_URL: github.url },
    );
    assert.is(second.code, 0);
    assert.is(github.comments.length, 1, 'the same comment, updated');
    assert.equal(
      github.requests.map((r) => r.method),
      ['GET', 'GET', 'POST', 'GET', 'GET', 'PATCH'],
    );
    assert.ok(github.requests.every((r) => r.authorization === `Bearer ${TOKEN}`));
    assertNoToken(first);
    assertNoToken(second);
  } finally {
    await github.close();
    await ws.cleanup();
  }
});

test('the comment is found again past the first page, among other comments, by its marker (and a comment-id tells two apart)', async () => {
  const others: Comment[] = Array.from({ length: 150 }, (_, i) => ({
    id: i + 1,
    body: `comment ${i}`,
  }));
  others.push({ id: 500, body: '<!-- waspec-plan:eu -->\nold plan', user: { login: BOT } });
  const github = await fakeGitHub({ comments: others });
  const ws = await makeWorkspace(textSpec('promo', swissNumbers(2)));
  try {
    const run = await runAction(
      ws.dir,
      { command: 'plan', comment: 'true', 'comment-id': 'eu' },
      { GITHUB_API_URL: github.url },
    );
    assert.is(run.code, 0, run.stdout + run.stderr);
    assert.equal(
      github.requests.map((r) => `${r.method} ${r.url.replace(/\?.*page=(\d+).*/, ' page $1')}`),
      [
        'GET /user',
        'GET /repos/acme/specs/issues/7/comments page 1',
        'GET /repos/acme/specs/issues/7/comments page 2',
        'PATCH /repos/acme/specs/issues/comments/500',
      ],
    );
    assert.match(
      github.comments.find((c) => c.id === 500)?.body ?? '',
      /^<!-- waspec-plan:eu -->\n## waspec plan/,
    );
  } finally {
    await github.close();
    await ws.cleanup();
  }
});

test('a plan too long for a comment is cut at a line under 65,536 characters, with a note; the summary keeps it whole', async () => {
  const github = await fakeGitHub();
  // waspec keeps markdown under 60,000 bytes by itself; a user who lifts that still gets a comment
  // GitHub takes. 300 specs of a long text each: about 800 characters of plan per spec.
  const numbers = swissNumbers(300);
  const specs = Object.fromEntries(
    numbers.flatMap((phone, i) =>
      Object.entries(
        textSpec(`s${i}`, [phone], `Message ${i}: ${'a long and careful sentence '.repeat(12)}`),
      ),
    ),
  );
  const ws = await makeWorkspace(specs);
  try {
    const run = await runAction(
      ws.dir,
      { command: 'plan', comment: 'true', args: '--max-bytes 1000000' },
      { GITHUB_API_URL: github.url },
    );
    assert.is(run.code, 0, run.stderr);
    const body = github.comments[0]?.body ?? '';
    assert.ok(run.summary.length > 65_536, `summary of ${run.summary.length} characters`);
    assert.ok(
      body.length <= 65_536 && body.length > 60_000,
      `comment of ${body.length} characters`,
    );
    assert.match(body, /cut here to fit a comment; the full plan is in the job summary/);
    const opened = body.split('<details>').length - 1;
    assert.is(
      body.split('</details>').length - 1,
      opened,
      'every <details> the cut left open is closed',
    );
  } finally {
    await github.close();
    await ws.cleanup();
  }
});

test('a comment by someone else that starts with the marker is never edited: the action writes its own and updates only that', async () => {
  const fake = {
    id: 41,
    body: '<!-- waspec-plan -->\nApproved by the release manager.',
    user: { login: 'mallory' },
  };
  const github = await fakeGitHub({ comments: [{ ...fake }] });
  const ws = await makeWorkspace(textSpec('promo', swissNumbers(2)));
  try {
    for (let run = 0; run < 2; run++) {
      const result = await runAction(
        ws.dir,
        { command: 'plan', comment: 'true' },
        { GITHUB_API_URL: github.url },
      );
      assert.is(result.code, 0, result.stdout + result.stderr);
    }
    assert.equal(
      github.comments.find((c) => c.id === 41),
      fake,
      "mallory's comment unchanged",
    );
    assert.equal(
      github.requests.map((r) => `${r.method} ${r.url.replace(/\?.*/, '')}`),
      [
        'GET /user',
        'GET /repos/acme/specs/issues/7/comments',
        'POST /repos/acme/specs/issues/7/comments',
        'GET /user',
        'GET /repos/acme/specs/issues/7/comments',
        'PATCH /repos/acme/specs/issues/comments/1000',
      ],
    );
    assert.equal(
      github.comments.map((c) => [c.id, c.user?.login]),
      [
        [41, 'mallory'],
        [1000, BOT],
      ],
    );
  } finally {
    await github.close();
    await ws.cleanup();
  }
});

test("with a user's token the comment is the one that user wrote (GET /user), not the bot's or another user's", async () => {
  const comments = [
    { id: 1, body: '<!-- waspec-plan -->\nby the bot', user: { login: BOT } },
    { id: 2, body: '<!-- waspec-plan -->\nby someone', user: { login: 'mallory' } },
    { id: 3, body: '<!-- waspec-plan -->\nold plan', user: { login: 'CI-User' } },
  ];
  const github = await fakeGitHub({ comments, login: 'ci-user' });
  const ws = await makeWorkspace(textSpec('promo', swissNumbers(1)));
  try {
    const run = await runAction(
      ws.dir,
      { command: 'plan', comment: 'true' },
      { GITHUB_API_URL: github.url },
    );
    assert.is(run.code, 0, run.stdout + run.stderr);
    assert.equal(
      github.requests.filter((r) => r.method === 'PATCH').map((r) => r.url),
      ['/repos/acme/specs/issues/comments/3'],
    );
    assert.match(github.comments[2]?.body ?? '', /## waspec plan/);
    assert.match(github.comments[0]?.body ?? '', /by the bot$/);
    assert.match(github.comments[1]?.body ?? '', /by someone$/);
  } finally {
    await github.close();
    await ws.cleanup();
  }
});

test('a file named like a workflow command starts none: not on stderr, not as an annotation, not in the plan', async () => {
  const name = '::error title=x::Approved.csv';
  const ws = await makeWorkspace({
    'specs/promo.yaml': `name: promo\nrevision: 1\nwhatsApp: { text: "Hi {{name}}" }\nrecipients:\n  - file: "../${name}"\n  - file: "../::add-mask::missing.csv"\n`,
    [name]: 'phoneNumber,name\n12,Anna\n::warning::row,Ben\n',
  });
  try {
    for (const format of ['markdown', 'pretty', 'json']) {
      const run = await runAction(ws.dir, { command: 'plan', format });
      assert.is(run.code, 1, run.stdout + run.stderr);
      const stdout = run.stdout.split('\n');
      const stop = stdout.findIndex((l) => l.startsWith('::stop-commands::'));
      const resume = stdout.indexOf(`::${stdout[stop]?.slice('::stop-commands::'.length) ?? ''}::`);
      const live = [
        ...stdout.slice(0, stop),
        ...stdout.slice(resume + 1),
        ...run.stderr.split('\n'),
      ];
      const commands = live.filter((l) => /^\s*::/.test(l) || l.includes('##['));
      // What remains are waspec's annotations (escaped properties, a known code) and the action's own.
      for (const line of commands)
        assert.match(
          line,
          /^::(error|warning) file=[^,:]*(,line=\d+(,col=\d+)?(,endLine=\d+)?(,endColumn=\d+)?)?,title=[a-z-]+::|^::(stop-commands::|[\w-]+::$)/,
          `${format}: ${line}`,
        );
      assert.ok(
        commands.some((l) => l.startsWith('::error file=%3A%3Aerror title=x%3A%3AApproved.csv')),
        `${format}: the annotation names the file, escaped:\n${commands.join('\n')}`,
      );
      assert.match(run.stderr, /:\u200b:error title=x::Approved\.csv/, 'stderr shows the name');
    }
  } finally {
    await ws.cleanup();
  }
});

test('errors: exit 1, errors output, the problems in the summary and the comment; a comment that cannot be written is a warning', async () => {
  const github = await fakeGitHub({ failWith: 403 });
  const ws = await makeWorkspace({
    'specs/bad.yaml':
      'name: bad\nrevision: 1\nwhatsApp: { text: "Hi {{name}}" }\nrecipients:\n  - phoneNumber: "12"\n',
  });
  try {
    const run = await runAction(
      ws.dir,
      { command: 'plan', comment: 'true' },
      { GITHUB_API_URL: github.url },
    );
    assert.is(run.code, 1);
    assert.equal(run.outputs['exit-code'], '1');
    assert.equal(run.outputs.errors, 'true');
    assert.equal(run.outputs['has-changes'], 'false');
    assert.match(run.summary, /Problems/);
    assert.match(run.stdout, /^::error file=specs\/bad\.yaml/m, 'annotations reach the runner');
    assert.not.match(run.summary, /^::/m, 'and stay out of the summary');
    assert.match(
      run.stdout,
      /::warning title=waspec::could not write the plan comment: GET \/repos\/acme\/specs\/issues\/7\/comments: 403 Resource not accessible/,
    );
    assertNoToken(run);
  } finally {
    await github.close();
    await ws.cleanup();
  }
});

test('comment: true outside a pull request is a warning and calls no API; format pretty is a code block', async () => {
  const github = await fakeGitHub();
  const ws = await makeWorkspace(textSpec('promo', swissNumbers(1)));
  try {
    const run = await runAction(
      ws.dir,
      { command: 'plan', comment: 'true', format: 'pretty' },
      { GITHUB_API_URL: github.url, GITHUB_EVENT_PATH: join(ws.dir, 'nothing.json') },
    );
    assert.is(run.code, 0);
    assert.match(
      run.stdout,
      /::warning title=waspec::comment: true, but this run is not for a pull request/,
    );
    assert.equal(github.requests, []);
    assert.match(run.summary, /^```text\n/m);
    const bad = await runAction(ws.dir, { command: 'deploy' });
    assert.is(bad.code, 1);
    assert.match(bad.stdout, /::error title=waspec::command must be plan or apply, not 'deploy'/);
  } finally {
    await github.close();
    await ws.cleanup();
  }
});

test('waspec output is echoed with workflow commands stopped: spec text starting with :: is no command; an error message stays one command', async () => {
  const ws = await makeWorkspace(textSpec('promo', swissNumbers(1), 'Hi\\n::add-mask::Hi\\nbye'));
  try {
    const run = await runAction(ws.dir, { command: 'plan', format: 'pretty' });
    assert.is(run.code, 0, run.stdout + run.stderr);
    const lines = run.stdout.split('\n');
    const stop = lines.findIndex((l) => l.startsWith('::stop-commands::'));
    assert.ok(stop >= 0, 'commands are stopped before the plan');
    const token = lines[stop]?.slice('::stop-commands::'.length) ?? '';
    assert.match(token, /^[\w-]{16,}$/, 'an unguessable token');
    const resume = lines.indexOf(`::${token}::`);
    assert.ok(resume > stop, 'and resumed after it');
    const inert = lines.slice(stop + 1, resume).join('\n');
    assert.match(inert, /Plan: 1 to send/);
    assert.match(inert, /::add-mask::Hi/, 'the spec text is inside the stopped part');
    assert.not.ok(
      [...lines.slice(0, stop), ...lines.slice(resume + 1)].some((l) => l.includes('::add-mask::')),
    );
    const bad = await runAction(ws.dir, { command: 'deploy\n::add-mask::Hi' });
    assert.is(bad.code, 1);
    assert.match(
      bad.stdout,
      /^::error title=waspec::command must be plan or apply, not 'deploy%0A::add-mask::Hi'$/m,
    );
    assert.not.ok(bad.stdout.split('\n').some((l) => l.startsWith('::add-mask::')));
  } finally {
    await ws.cleanup();
  }
});

test('apply: plans, sends exactly that plan, and maps the result (accepted, rejected; exit 3) to outputs and the summary', async () => {
  const numbers = swissNumbers(4);
  const emulator = await startEmulator({ rejectNumbers: [numbers[3] as string] });
  const ws = await makeWorkspace(textSpec('promo', numbers));
  const env = emulatorEnv(emulator.url);
  try {
    const run = await runAction(ws.dir, { command: 'apply' }, env);
    assert.is(run.code, 3, run.stderr);
    assert.equal(run.outputs['exit-code'], '3');
    assert.equal(run.outputs.accepted, '3');
    assert.equal(run.outputs.rejected, '1');
    assert.equal(run.outputs['has-changes'], 'true');
    assert.match(run.summary, /### waspec apply\n\n\| accepted \| rejected/);
    assert.match(run.summary, /\| 3 \| 1 \| 0 \| 0 \| 0 \|/);
    assert.is(emulator.stats().uniqueMessageIds, 4);
    assert.not.match(
      run.stdout + run.stderr + run.summary,
      new RegExp(EMULATOR_DEFAULTS.appSecret),
    );
    assert.not.match(
      run.stdout + run.stderr + run.summary,
      /41791000000/,
      'numbers masked in the log too',
    );
    assert.match(run.stderr, /417\*\*\*\*0000/);

    const again = await runAction(ws.dir, { command: 'apply' }, env);
    assert.is(again.code, 0, again.stderr);
    assert.equal(again.outputs['has-changes'], 'false');
    assert.equal(again.outputs.accepted, '0');
    assert.is(emulator.stats().duplicates, 0);
  } finally {
    await emulator.close();
    await ws.cleanup();
  }
});

test('apply stopped by the circuit breaker: exit 5, the trip and its reasons in the step summary', async () => {
  const emulator = await startEmulator({ rejectRate: 0.5 });
  const ws = await makeWorkspace(textSpec('promo', swissNumbers(400), 'Hi', 10));
  const env = emulatorEnv(emulator.url);
  try {
    const run = await runAction(ws.dir, { command: 'apply' }, env);
    assert.is(run.code, 5, run.stderr);
    assert.equal(run.outputs['exit-code'], '5');
    assert.match(
      run.summary,
      /\*\*Circuit breaker tripped\*\*: [\d.]+% of the last \d+ answers rejected \(over 20%\)/,
    );
    assert.match(run.summary, /```text\n×\d+ {2}REJECTED_DESTINATION: /);
    assert.ok(Number(run.outputs['not-sent']) > 0);
  } finally {
    await emulator.close();
    await ws.cleanup();
  }
});

test('apply paused after a healthy canary: the step succeeds, paused=true, exit-code 6; the next apply sends the rest', async () => {
  const numbers = swissNumbers(20);
  const emulator = await startEmulator();
  const files = textSpec('promo', numbers, 'Hi', 5);
  files['specs/promo.yaml'] =
    `${files['specs/promo.yaml'] ?? ''}rollout:\n  canary: 4\n  pause: true\n`;
  const ws = await makeWorkspace(files);
  const env = emulatorEnv(emulator.url);
  try {
    const run = await runAction(ws.dir, { command: 'apply' }, env);
    assert.is(run.code, 0, run.stderr);
    assert.equal(run.outputs['exit-code'], '6');
    assert.equal(run.outputs.paused, 'true');
    assert.equal(run.outputs.accepted, '4');
    assert.match(run.summary, /\*\*Canary\*\*: 4 messages sent, healthy\. \*\*Paused\*\*/);
    assert.is(emulator.stats().uniqueMessageIds, 4);

    const rest = await runAction(ws.dir, { command: 'apply' }, env);
    assert.is(rest.code, 0, rest.stderr);
    assert.equal(rest.outputs.paused, 'false');
    assert.equal(rest.outputs.accepted, '16');
    assert.is(emulator.stats().uniqueMessageIds, 20);
    assert.is(emulator.stats().duplicates, 0);
  } finally {
    await emulator.close();
    await ws.cleanup();
  }
});

test('apply of a saved plan (plan-file): the summary shows its texts restored from the files, and it sends that plan', async () => {
  const numbers = swissNumbers(2);
  const emulator = await startEmulator();
  const ws = await makeWorkspace(textSpec('promo', numbers));
  const env = emulatorEnv(emulator.url);
  try {
    assert.is((await runCli(['plan', '--out', 'plan.json'], { cwd: ws.dir })).code, 0);
    assert.not.match(await readFile(join(ws.dir, 'plan.json'), 'utf8'), /Person 0/);
    const run = await runAction(
      ws.dir,
      { command: 'apply', 'plan-file': 'plan.json', format: 'markdown' },
      env,
    );
    assert.is(run.code, 0, run.stderr);
    assert.equal(run.outputs.accepted, '2');
    assert.match(run.summary, /Hello Person 0/);
    assert.not.match(run.stderr, /no message texts/);
    assert.is(emulator.stats().uniqueMessageIds, 2);
  } finally {
    await emulator.close();
    await ws.cleanup();
  }
});

test.run();
