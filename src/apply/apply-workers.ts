import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ResolvedConfig } from '../config/load-config.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { planHasWork } from '../plan/summarize-plan.js';
import { StateError, UsageError, EXIT, type ExitCode } from '../errors.js';
import { inputsDigest, readPlanInputs } from '../plan/plan-inputs.js';
import { readSavedPlan } from '../plan/saved-plan.js';
import { openStateStore } from '../state/open-state.js';
import { stateTargetOf } from '../state/state-target.js';
import {
  STAGE_RANK,
  canaryKey,
  type ApplyRun,
  type JournalRecord,
  type NewApplyRun,
  type SharedApplyStore,
  type StateStore,
  type WorkerLock,
} from '../state/types.js';
import type { Plan } from '../plan/types.js';
import { checkedSavedPlan, planAfresh } from './apply-inputs.js';
import { applyShared } from './apply-shared.js';
import { handleInterrupts } from './apply-signals.js';
import { watchLeftAlone } from './left-alone.js';
import type { ApplyView } from './apply-view.js';
import { plannedRequests } from './build-requests.js';
import { payloadOf } from './queued-request.js';
import { contentRecorder } from './request-records.js';
import type { ApplyOptions } from './apply-options.js';
import { breakerHolds, breakerOf, exitCodeOf, withTransport } from './send-plan.js';
import { seedOnlyDigest, seedOnlyPlan, seedOnlyStep, type SeedOnlyStep } from './seed-only.js';

/** Times a starter plans again when another run changed the state meanwhile. */
const MAX_PLANS = 3;
const ignore = () => undefined;

/**
 * apply --workers N: this process and N-1 it starts beside itself share one apply kept in the
 * PostgreSQL state; workers started elsewhere with the same inputs join it. Every worker ends
 * with the whole apply's summary; the one started by hand prints it.
 */
export async function runWorkers(
  options: ApplyOptions,
  config: ResolvedConfig,
  workers: number,
  view: ApplyView,
): Promise<ExitCode> {
  const target = stateTargetOf(config);
  if (target.kind !== 'postgres') {
    throw new UsageError(
      '--workers needs a PostgreSQL state: a file state is applied by one process at a time',
      'give --state postgres://… (or WASPEC_STATE_URL), or leave out --workers',
    );
  }
  const store = openStateStore(target);
  const child = options.workerOf !== undefined;
  const children: Array<Promise<number | null>> = [];
  const kills: Array<() => void> = [];
  try {
    const lock = await store.lockWorker();
    // A started worker leaves Ctrl-C to its parent, which passes it on as SIGTERM.
    const interrupts = handleInterrupts(() => lock.release(), view, {
      ...(child ? { signals: ['SIGTERM'] as const } : {}),
      onSignal: () => kills.forEach((kill) => kill()),
    });
    if (child) process.on('SIGINT', ignore);
    const leftAlone = watchLeftAlone();
    try {
      // A worker started beside its parent finds the run ended when the parent was quicker: done.
      let step: SeedOnlyStep | undefined;
      const run =
        options.workerOf !== undefined
          ? ((await store.joinRun(lock, options.workerOf)) ?? EXIT.ok)
          : await startOrJoin(options, config, store, lock, view, (s) => (step = s));
      if (typeof run === 'number') return run;
      // Started before this one's token: each gets its own, and a wrong key fails them all alike.
      for (let n = 2; n <= workers; n++)
        children.push(startWorker(n, options.workerArgv(run.id), kills, view));
      const shared = await withTransport(
        config,
        interrupts,
        (deps) =>
          applyShared(store.worker(lock, run), {
            ...deps,
            handBack: leftAlone.signal,
            ...breakerOf(config, options.ignoreBreaker ?? false),
          }),
        child ? undefined : () => view.progress(),
      );
      const codes = await Promise.all(children);
      if (shared.handedBack) return EXIT.error; // left alone: its work handed back, its summary unseen
      if (child) return exitCodeOf(shared.result);
      if (shared.othersAlive > 0) view.othersCarryOn(shared.othersAlive);
      view.result(shared.result);
      const code = withChildren(exitCodeOf(shared.result), codes);
      if (options.seedOnly && code === EXIT.ok)
        view.seedsDone(step ?? seedStepOfResult(shared.result.messages.accepted), true);
      return code;
    } finally {
      leftAlone.dispose();
      interrupts.dispose();
      process.off('SIGINT', ignore);
      await lock.release();
    }
  } finally {
    await Promise.allSettled(children); // they carry on the apply whatever happened here
    await store.close();
  }
}

/** A worker beside this one running `args` (node's), its errors shown prefixed, its exit code. */
function startWorker(
  n: number,
  args: string[],
  kills: Array<() => void>,
  view: ApplyView,
): Promise<number | null> {
  // The channel tells the worker when this process dies (it then hands back its work).
  const worker = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  kills.push(() => worker.kill('SIGTERM'));
  if (worker.stderr)
    createInterface({ input: worker.stderr }).on('line', (line) => view.workerLine(n, line));
  return new Promise((resolve) => {
    worker.on('error', (error) => {
      view.workerLine(n, `could not start (${error.message})`);
      resolve(1);
    });
    worker.on('close', (code) => resolve(code));
  });
}

/** The whole apply's exit code, unless a worker beside this one failed (1) or lost the state (4). */
function withChildren(own: ExitCode, codes: ReadonlyArray<number | null>): ExitCode {
  const failed = codes.filter((c) => c === EXIT.error || c === EXIT.stateLost);
  const worst = failed.includes(EXIT.stateLost) ? EXIT.stateLost : EXIT.error;
  return (own === EXIT.ok || own === EXIT.notAccepted) && failed.length > 0 ? worst : own;
}

/**
 * Joins the workspace's open run of the same inputs, or plans and materialises a new one. Joining
 * needs no plan (only the inputs' digest: planning a large workspace takes a while), and a saved
 * plan joins without being checked again (its run has changed the state since).
 */
async function startOrJoin(
  options: ApplyOptions,
  config: ResolvedConfig,
  store: StateStore & SharedApplyStore,
  lock: WorkerLock,
  view: ApplyView,
  seedStep: (step: SeedOnlyStep) => void,
): Promise<ApplyRun | ExitCode> {
  const { planFile } = options;
  // A run of the seeds alone is another run than the whole plan's of the same inputs.
  const runDigest = (digest: string) => (options.seedOnly ? seedOnlyDigest(digest) : digest);
  const joined = (run: ApplyRun) => {
    view.joined(run);
    return run;
  };
  const saved = planFile === undefined ? undefined : await readSavedPlan(planFile);
  const open = await store.openRun();
  if (open) {
    const inputs = saved ?? (await readPlanInputs(options.planOptions, store));
    const digest = inputs && runDigest(inputsDigest(inputs));
    // An empty offer joins the run of the same inputs, or finds it ended meanwhile: then plan.
    const join =
      digest === open.inputsDigest
        ? await store.startRun(lock, {
            inputsDigest: digest,
            stateDigest: '',
            startedBy: '',
            requests: [],
            finish: () => ({ records: [] }),
          })
        : undefined;
    if (join?.kind === 'joined') return joined(join.run);
  }
  for (let attempt = 1; attempt <= MAX_PLANS; attempt++) {
    const plan =
      saved && planFile
        ? await checkedSavedPlan(planFile, config, store, saved)
        : await planAfresh(options.planOptions, store);
    view.diagnostics(plan.diagnostics);
    if (hasErrors(plan.diagnostics)) return EXIT.error;
    const step = seedOnlyStep(plan);
    if (options.seedOnly && !step.hasSeeds) {
      view.plan(plan);
      view.noSeeds();
      return EXIT.error;
    }
    const sending = options.seedOnly ? seedOnlyPlan(plan) : plan;
    if (breakerHolds(plan, options) && planHasWork(sending.summary)) {
      view.plan(plan);
      view.breakerHolds(plan.inputs.state.breaker);
      return EXIT.breaker;
    }
    const started = await store.startRun(lock, {
      inputsDigest: runDigest(inputsDigest(plan)),
      stateDigest: plan.inputs.state.sha256,
      ...(config.rateLimit ? { rateLimit: config.rateLimit } : {}),
      startedBy: `${lock.info.owner}@${lock.info.host}`,
      ...runRequests(sending, plan.stages?.pause ?? false),
    });
    if (started.kind === 'state-changed') continue; // another run sent meanwhile: plan again
    if (started.kind === 'joined') return joined(started.run);
    view.plan(plan);
    if (started.kind === 'nothing') {
      if (options.seedOnly) view.seedsDone(step, false);
      else view.nothingToSend();
      return EXIT.ok;
    }
    seedStep(step);
    view.runStarted(started.run);
    return started.run;
  }
  throw new StateError(
    `The state kept changing while this apply planned (${MAX_PLANS} times); nothing was sent.`,
    'Another apply is writing to the workspace; run this one again when it is done.',
  );
}

/**
 * The run's requests, built as the run takes them (only those of the page being inserted are
 * held), and once they are all taken: the content records to journal with them and the canary
 * (its messages by spec revision, and whether the run pauses after it).
 */
function runRequests(plan: Plan, pause: boolean): Pick<NewApplyRun, 'requests' | 'finish'> {
  const contentRecords = contentRecorder(plan);
  const at = new Date().toISOString();
  const records: JournalRecord[] = [];
  const canary = new Map<string, { spec: string; revision: number; messages: number }>();
  const requests = plannedRequests(plan);
  return {
    requests: (function* () {
      for (const r of requests) {
        records.push(...contentRecords(r, at));
        if (r.stage === 'canary')
          for (const { spec, revision } of r.entries) {
            const known = canary.get(canaryKey(spec, revision));
            if (known) known.messages++;
            else canary.set(canaryKey(spec, revision), { spec, revision, messages: 1 });
          }
        yield {
          bulkId: r.body.bulkId,
          messages: r.entries.length,
          payload: payloadOf(r),
          ...(r.stage ? { stage: STAGE_RANK[r.stage] } : {}),
        };
      }
    })(),
    finish: () => ({
      records,
      ...(canary.size > 0 ? { canary: { pause, sent: [...canary.values()] } } : {}),
    }),
  };
}

/** A worker that joined a seed-only run has no plan: what it knows of the step is the whole run's answers. */
function seedStepOfResult(accepted: number): SeedOnlyStep {
  return { seeds: accepted, phones: accepted, hasSeeds: true };
}
