// The waspec GitHub Action (action.yml): runs `waspec plan` or `waspec apply`, writes the plan to
// the step summary, creates or updates one plan comment on the pull request, and maps waspec's
// exit codes to step outputs. Plain Node, no dependencies; GitHub's REST API through fetch.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT } from './exit-codes.mjs';
import { upsertComment } from './github.mjs';
import { cutComment, cutSummary, fence } from './limits.mjs';

const FORMATS = ['markdown', 'pretty', 'json'];
/** Starts the plan comment; the comment is found again by it. */
const MARKER = '<!-- waspec-plan -->';

/** @param {NodeJS.ProcessEnv} env */
function readInputs(env) {
  const input = (name) => (env[`INPUT_${name}`] ?? '').trim();
  const words = (text) => text.split(/\s+/).filter(Boolean);
  const command = input('COMMAND') || 'plan';
  if (command !== 'plan' && command !== 'apply')
    throw new UsageProblem(`command must be plan or apply, not '${command}'`);
  const format = input('FORMAT') || 'markdown';
  if (!FORMATS.includes(format))
    throw new UsageProblem(`format must be one of ${FORMATS.join(', ')}, not '${format}'`);
  const commentId = input('COMMENT_ID');
  return {
    command,
    format,
    paths: words(input('PATHS')),
    args: words(input('ARGS')),
    comment: /^(true|yes|1)$/i.test(input('COMMENT')),
    planFile: input('PLAN_FILE'),
    marker: commentId ? `<!-- waspec-plan:${commentId.replace(/[^\w.-]/g, '_')} -->` : MARKER,
  };
}

class UsageProblem extends Error {}

/** The waspec CLI: the package this action came with, else the one installed in the workspace. */
function findCli(cwd) {
  const own = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
  if (existsSync(own)) return own;
  const installed = path.join(cwd, 'node_modules', 'waspec', 'dist', 'cli', 'main.js');
  if (existsSync(installed)) return installed;
  throw new UsageProblem(
    'waspec is not built or installed: add it to the repository (npm install --save-dev waspec …) and run npm ci before this step',
  );
}

/**
 * A line of waspec's stderr as this step prints it: no workflow command can start in it. The
 * runner takes a line starting with `::` (after spaces) as a command, and `##[` anywhere as an old
 * one; a zero-width space between the two characters keeps the text as it reads.
 */
const inertLine = (line) =>
  line.replace(/^(\s*):(?=:)/, '$1:\u200b').replace(/#(?=#\[)/g, '#\u200b');

/**
 * Runs waspec; stdout is returned without the GitHub annotations waspec prints in Actions, which
 * go to this step's stdout so the runner still sees them. Only lines starting with this run's
 * random key are annotations (a quoted file name such as `::error title=x::a.csv` is not one).
 * stderr streams through line by line, made inert.
 */
function runWaspec(cli, args, env) {
  const key = `waspec-${randomUUID()}`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: { ...env, WASPEC_ANNOTATION_KEY: key },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => (out += chunk));
    let partial = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      if (lines.length > 0) process.stderr.write(`${lines.map(inertLine).join('\n')}\n`);
    });
    child.on('close', (code, signal) => {
      if (partial !== '') process.stderr.write(`${inertLine(partial)}\n`);
      const lines = out.split('\n');
      const annotations = lines
        .filter((l) => l.startsWith(`${key}::`))
        .map((l) => l.slice(key.length));
      if (annotations.length > 0) process.stdout.write(`${annotations.join('\n')}\n`);
      resolve({
        code: code ?? (signal ? 128 : EXIT.error),
        stdout: lines.filter((l) => !l.startsWith(key)).join('\n'),
      });
    });
  });
}

/** Step outputs: one `name=value` line each (values are numbers, booleans and a path). */
function setOutputs(env, outputs) {
  const lines = Object.entries(outputs).map(
    ([name, value]) => `${name}=${String(value).replace(/[\r\n]/g, ' ')}\n`,
  );
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, lines.join(''));
  else process.stdout.write(lines.join(''));
}

function writeSummary(env, text) {
  if (env.GITHUB_STEP_SUMMARY)
    appendFileSync(
      env.GITHUB_STEP_SUMMARY,
      cutSummary(
        text,
        '\n_The plan is cut here to fit the step summary (1 MiB); `waspec show` the saved plan for the rest._\n',
      ),
    );
}

/** Open <details> blocks of a cut markdown text, closed again. */
function closeDetails(text) {
  const open = (text.match(/<details>/g) ?? []).length - (text.match(/<\/details>/g) ?? []).length;
  return open > 0 ? `${text}\n${'</details>\n'.repeat(open)}` : text;
}

/** The plan as shown: markdown as waspec writes it, other formats in a code block. */
const shown = (format, text) =>
  format === 'markdown'
    ? text
    : `## waspec plan\n\n${fence(text, format === 'json' ? 'json' : 'text')}`;

function readSaved(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The cost line of a saved plan, for the comment's first lines (markdown has it already). */
function costLine(cost) {
  if (!cost || typeof cost !== 'object' || !cost.total) return '';
  const amount = String(cost.total.amount ?? '').replace(/[^\d.-]/g, '');
  const currency = String(cost.currency ?? '').replace(/[^A-Z]/g, '');
  return `**Estimated cost: ${currency} ${amount}** (${Number(cost.total.messages) || 0} messages)\n\n`;
}

/** The pull request of this run's event, or undefined (a push, a schedule). */
function pullRequestOf(env) {
  if (!env.GITHUB_EVENT_PATH || !existsSync(env.GITHUB_EVENT_PATH)) return undefined;
  try {
    const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8'));
    const number =
      event.pull_request?.number ?? (event.issue?.pull_request ? event.issue.number : undefined);
    return Number.isInteger(number) ? number : undefined;
  } catch {
    return undefined;
  }
}

async function comment(env, inputs, body) {
  const issue = pullRequestOf(env);
  const token = env.INPUT_GITHUB_TOKEN || env.GITHUB_TOKEN;
  if (issue === undefined)
    return warn('comment: true, but this run is not for a pull request: no comment written');
  if (!token || !env.GITHUB_REPOSITORY)
    return warn('comment: true, but there is no GitHub token or repository: no comment written');
  const github = { apiUrl: env.GITHUB_API_URL || 'https://api.github.com', token };
  const text = closeDetails(
    cutComment(
      body,
      '\n_The plan is cut here to fit a comment; the full plan is in the job summary._\n',
      65_000 - inputs.marker.length - 1,
    ),
  );
  try {
    const done = await upsertComment(
      github,
      env.GITHUB_REPOSITORY,
      issue,
      inputs.marker,
      `${inputs.marker}\n${text}`,
    );
    process.stdout.write(`waspec: ${done.action} the plan comment on pull request #${issue}\n`);
  } catch (error) {
    // A fork's pull request gets a read-only token: the plan still stands in the summary.
    warn(
      `could not write the plan comment: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** A workflow command's message: %, CR and LF escaped, so it stays one command. */
const escapeData = (message) =>
  message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

function warn(message) {
  process.stdout.write(`::warning title=waspec::${escapeData(message)}\n`);
}

/**
 * Prints waspec's output to the log with workflow commands off: the plan quotes spec and recipient
 * text, and a line of it starting with `::` must not become a command (add-mask, stop-commands, …).
 */
function echoInert(text) {
  if (text === '') return;
  const token = randomUUID();
  process.stdout.write(
    `::stop-commands::${token}\n${text.endsWith('\n') ? text : `${text}\n`}::${token}::\n`,
  );
}

const count = (summary, ...actions) => actions.reduce((n, a) => n + (Number(summary?.[a]) || 0), 0);

async function main(env = process.env) {
  const inputs = readInputs(env);
  const cwd = process.cwd();
  const cli = findCli(cwd);
  // waspec needs no GitHub token: it does not get one.
  const childEnv = Object.fromEntries(
    Object.entries(env).filter(([name]) => !/^INPUT_/.test(name) && name !== 'GITHUB_TOKEN'),
  );
  const planFile =
    inputs.planFile ||
    path.join(mkdtempSync(path.join(env.RUNNER_TEMP || tmpdir(), 'waspec-')), 'plan.json');

  let plan;
  if (inputs.command === 'apply' && inputs.planFile) {
    plan = await runWaspec(
      cli,
      ['show', planFile, '--format', inputs.format, '--mask', ...inputs.args],
      childEnv,
    );
    if (plan.code === EXIT.ok) plan.code = EXIT.changes; // a saved plan: its summary says whether there is work
  } else {
    plan = await runWaspec(
      cli,
      [
        'plan',
        ...inputs.paths,
        '--format',
        inputs.format,
        '--mask',
        '--detailed-exitcode',
        '--out',
        planFile,
        ...inputs.args,
      ],
      childEnv,
    );
  }
  echoInert(plan.stdout);
  const saved = plan.code === EXIT.error ? undefined : readSaved(planFile);
  const summary = saved?.summary;
  const planOutputs = {
    'has-changes': count(summary, 'send', 'retry') > 0,
    'to-send': count(summary, 'send', 'retry'),
    excluded: count(summary, 'excluded'),
    'plan-file': summary ? planFile : '',
    cost: saved?.cost ? `${saved.cost.currency} ${saved.cost.total.amount}` : '',
  };
  const planText = `${inputs.format === 'markdown' ? '' : costLine(saved?.cost)}${shown(inputs.format, plan.stdout)}`;

  if (inputs.command === 'plan' || plan.code === EXIT.error) {
    setOutputs(env, {
      'exit-code': plan.code,
      ...planOutputs,
      rejected: count(summary, 'rejected'),
      'in-doubt': count(summary, 'in-doubt'),
      errors: plan.code === EXIT.error,
    });
    writeSummary(env, planText);
    if (inputs.comment) await comment(env, inputs, planText);
    return plan.code === EXIT.changes ? EXIT.ok : plan.code;
  }

  const applied = await runWaspec(
    cli,
    ['apply', planFile, '--format', 'json', '--mask', ...inputs.args],
    childEnv,
  );
  let result;
  try {
    result = JSON.parse(applied.stdout);
  } catch {
    result = undefined;
  }
  const m = result?.messages ?? {};
  setOutputs(env, {
    'exit-code': applied.code,
    ...planOutputs,
    accepted: m.accepted ?? 0,
    rejected: m.rejected ?? 0,
    failed: m.failed ?? 0,
    'in-doubt': m.inDoubt ?? 0,
    'not-sent': m.notSent ?? 0,
    errors: applied.code === EXIT.error,
    paused: applied.code === EXIT.paused,
  });
  const outcome = result
    ? `\n### waspec apply\n\n| accepted | rejected | failed | in doubt | not sent | requests |\n| ---: | ---: | ---: | ---: | ---: | ---: |\n| ${m.accepted ?? 0} | ${m.rejected ?? 0} | ${m.failed ?? 0} | ${m.inDoubt ?? 0} | ${m.notSent ?? 0} | ${result.requests ?? 0} |\n\nExit code ${applied.code}.\n`
    : `\n### waspec apply\n\nExit code ${applied.code}: see the log.\n`;
  const report = `${planText}\n${outcome}${canaryNote(result)}${breakerNote(result?.breaker)}`;
  writeSummary(env, report);
  if (inputs.comment) await comment(env, inputs, report);
  // Paused after a healthy canary: not a failure (the job that sends the rest comes later).
  return applied.code === EXIT.paused ? EXIT.ok : applied.code;
}

/** The canary an apply sent (docs/progressive-sending.md): healthy or not, and whether it paused. */
function canaryNote(result) {
  const canary = result?.canary;
  if (typeof canary !== 'object' || canary === null) return '';
  const sent = `**Canary**: ${Number(canary.messages)} messages sent`;
  if (canary.healthy !== true) return `\n${sent}, not healthy: the rest was not sent.\n`;
  return result.paused === true
    ? `\n${sent}, healthy. **Paused** after the canary (rollout.pause): the next apply sends the rest.\n`
    : `\n${sent}, healthy; the rest followed.\n`;
}

/** The circuit breaker's trip (docs/progressive-sending.md): its cause, and its reasons in a fence (API text). */
function breakerNote(trip) {
  if (typeof trip !== 'object' || trip === null) return '';
  const pct = (x) => `${Math.round(Number(x) * 1000) / 10}%`;
  const reasons = Array.isArray(trip.reasons)
    ? trip.reasons.map((r) => `×${Number(r?.count)}  ${String(r?.reason)}`).join('\n')
    : '';
  const what = trip.cause === 'failed' ? 'failed' : 'rejected';
  return `\n**Circuit breaker tripped**: ${pct(trip.share)} of the last ${Number(trip.answers)} answers ${what} (over ${pct(trip.threshold)}). Nothing more was sent; the rest stays unsent. The next apply needs \`--resume\` or \`--ignore-breaker\`.\n\n${reasons ? fence(reasons) : ''}`;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stdout.write(
      `::error title=waspec::${escapeData(error instanceof Error ? error.message : String(error))}\n`,
    );
    process.exit(EXIT.error);
  },
);
