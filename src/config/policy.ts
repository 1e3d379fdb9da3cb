import path from 'node:path';
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { parseAmount } from '../rates/money.js';
import { parseCanary, type Rollout } from '../message-spec/rollout.js';

/** At most `count` messages of a category to one number in any `per` window. */
export interface FrequencyCap {
  count: number;
  /** As written, e.g. 24h. */
  per: string;
  perMs: number;
  /** The spec `category:` it counts; every category when absent. */
  scope?: string;
}

/** No message arrives between `from` and `to` in the recipient's time zone. */
export interface QuietHours {
  from: string;
  to: string;
  /** hold: not sent this time; shift: sendAt moved to the next allowed time. */
  mode: 'hold' | 'shift';
}

/**
 * An apply stops sending when, over its last `window` answers (at least `minAnswers`), the share of
 * rejected messages or of messages of failed requests is over its threshold.
 */
export interface BreakerSettings {
  window: number;
  minAnswers: number;
  maxRejectedShare: number;
  maxFailedShare: number;
}

/** The breaker every apply has unless the config says otherwise. */
export const DEFAULT_BREAKER: BreakerSettings = {
  window: 200,
  minAnswers: 20,
  maxRejectedShare: 0.2,
  maxFailedShare: 0.2,
};

/** Most an apply (and each spec in it) may cost, in millionths of the rate card's currency. */
export interface Budget {
  perApply?: bigint;
  perSpec?: bigint;
  /** As written, for messages. */
  written: { perApply?: string; perSpec?: string };
}

/** Audience safety rules of the workspace (`policy:` in the config). */
export interface Policy {
  /** The circuit breaker's thresholds; `false` (`breaker: off`) turns it off; absent: DEFAULT_BREAKER. */
  breaker?: BreakerSettings | false;
  maxPerRecipient?: FrequencyCap;
  maxMessagesPerApply?: number;
  quietHours?: QuietHours;
  budget?: Budget;
  /** Unique recipients the account may reach in a moving 24 hours (WhatsApp's messaging limit). */
  messagingLimit?: number;
  /** Over the messaging limit: hold (default) or schedule in later 24-hour waves. */
  overLimit?: 'hold' | 'schedule';
  /** The rollout of every spec that has no `rollout:` of its own (a canary first). */
  rollout?: Rollout;
}

export type ConfigFail = (node: Node | null | undefined, message: string, hint?: string) => never;

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;
const CATEGORY = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const SUPPRESSION_FILE = /\.(csv|ndjson|jsonl)$/i;

function keysOf(
  map: YAMLMap,
  allowed: readonly string[],
  where: string,
  fail: ConfigFail,
): Map<string, Node | null> {
  const out = new Map<string, Node | null>();
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!allowed.includes(key))
      fail(pair.key as Node, `unknown key '${key}' in ${where}`, `allowed: ${allowed.join(', ')}`);
    out.set(key, (pair.value as Node | null) ?? null);
  }
  return out;
}

function scalar(node: Node | null | undefined): unknown {
  return isScalar(node) ? node.value : undefined;
}

function positiveInt(node: Node | null | undefined, name: string, fail: ConfigFail): number {
  const value = scalar(node);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    fail(node, `${name} must be a whole number of at least 1`);
  return value;
}

function readCap(node: Node | null | undefined, fail: ConfigFail): FrequencyCap {
  if (!isMap(node)) fail(node, 'policy.maxPerRecipient must be a mapping {count, per, scope}');
  const keys = keysOf(node, ['count', 'per', 'scope'], 'policy.maxPerRecipient', fail);
  const per = scalar(keys.get('per'));
  const match = typeof per === 'string' ? /^(\d+)(m|h|d|w)$/.exec(per) : null;
  if (!match)
    fail(
      keys.get('per') ?? node,
      'policy.maxPerRecipient.per must be a duration such as 24h, 7d, 90m or 1w',
    );
  const cap: FrequencyCap = {
    count: positiveInt(keys.get('count') ?? node, 'policy.maxPerRecipient.count', fail),
    per: match[0],
    perMs: Number(match[1]) * (UNIT_MS[match[2] ?? 'h'] ?? 0),
  };
  if (cap.perMs <= 0) fail(keys.get('per'), 'policy.maxPerRecipient.per must be longer than 0');
  if (keys.has('scope')) {
    const scope = scalar(keys.get('scope'));
    // The form of a spec's category: a scope no spec can have would silently cap nothing.
    if (typeof scope !== 'string' || !CATEGORY.test(scope))
      fail(
        keys.get('scope'),
        'policy.maxPerRecipient.scope must be a category name as specs write it (lower-case letters, digits, . _ -)',
      );
    cap.scope = scope;
  }
  return cap;
}

function readQuietHours(node: Node | null | undefined, fail: ConfigFail): QuietHours {
  if (!isMap(node)) fail(node, 'policy.quietHours must be a mapping {from, to, mode}');
  const keys = keysOf(node, ['from', 'to', 'mode'], 'policy.quietHours', fail);
  const clock = (key: 'from' | 'to'): string => {
    const value = scalar(keys.get(key));
    if (typeof value !== 'string' || !CLOCK.test(value))
      fail(keys.get(key) ?? node, `policy.quietHours.${key} must be a time "HH:MM" (quoted)`);
    return value;
  };
  const mode = keys.has('mode') ? scalar(keys.get('mode')) : 'hold';
  if (mode !== 'hold' && mode !== 'shift')
    fail(keys.get('mode'), 'policy.quietHours.mode must be hold or shift');
  const quiet: QuietHours = { from: clock('from'), to: clock('to'), mode };
  if (quiet.from === quiet.to) fail(node, 'policy.quietHours.from and to must differ');
  return quiet;
}

function share(node: Node | null | undefined, name: string, fail: ConfigFail): number {
  const value = scalar(node);
  if (typeof value !== 'number' || !(value >= 0 && value <= 1))
    fail(node, `${name} must be a share from 0 to 1 (e.g. 0.2 for 20%)`);
  return value;
}

function readBreaker(node: Node | null | undefined, fail: ConfigFail): BreakerSettings | false {
  const value = scalar(node);
  if (value === false || value === 'off') return false;
  if (!isMap(node))
    fail(
      node,
      'policy.breaker must be off, or a mapping {window, minAnswers, maxRejectedShare, maxFailedShare}',
    );
  const keys = keysOf(
    node,
    ['window', 'minAnswers', 'maxRejectedShare', 'maxFailedShare'],
    'policy.breaker',
    fail,
  );
  const settings = { ...DEFAULT_BREAKER };
  if (keys.has('window'))
    settings.window = positiveInt(keys.get('window'), 'policy.breaker.window', fail);
  if (keys.has('minAnswers'))
    settings.minAnswers = positiveInt(keys.get('minAnswers'), 'policy.breaker.minAnswers', fail);
  for (const key of ['maxRejectedShare', 'maxFailedShare'] as const)
    if (keys.has(key)) settings[key] = share(keys.get(key), `policy.breaker.${key}`, fail);
  if (settings.window > 100_000)
    fail(keys.get('window'), 'policy.breaker.window must be at most 100000 answers');
  return settings;
}

function readRollout(node: Node | null | undefined, fail: ConfigFail): Rollout {
  if (!isMap(node)) fail(node, 'policy.rollout must be a mapping {canary, pause}');
  const keys = keysOf(node, ['canary', 'pause'], 'policy.rollout', fail);
  const canary = parseCanary(scalar(keys.get('canary')));
  if (!canary)
    fail(
      keys.get('canary') ?? node,
      'policy.rollout.canary must be a share such as "5%" (0.001% to 100%) or a count of at least 1',
    );
  const pause = keys.has('pause') ? scalar(keys.get('pause')) : false;
  if (typeof pause !== 'boolean')
    fail(keys.get('pause'), 'policy.rollout.pause must be true or false');
  return { canary, pause };
}

/** `policy:` of the config file. */
export function readPolicy(node: Node | null | undefined, fail: ConfigFail): Policy {
  if (node === undefined || node === null) return {};
  if (!isMap(node)) fail(node, 'policy must be a mapping');
  const keys = keysOf(
    node,
    [
      'maxPerRecipient',
      'maxMessagesPerApply',
      'quietHours',
      'breaker',
      'budget',
      'messagingLimit',
      'overLimit',
      'rollout',
    ],
    'policy',
    fail,
  );
  const policy: Policy = {};
  if (keys.has('breaker')) policy.breaker = readBreaker(keys.get('breaker'), fail);
  if (keys.has('rollout')) policy.rollout = readRollout(keys.get('rollout'), fail);
  if (keys.has('maxPerRecipient'))
    policy.maxPerRecipient = readCap(keys.get('maxPerRecipient'), fail);
  if (keys.has('maxMessagesPerApply'))
    policy.maxMessagesPerApply = positiveInt(
      keys.get('maxMessagesPerApply'),
      'policy.maxMessagesPerApply',
      fail,
    );
  if (keys.has('quietHours')) policy.quietHours = readQuietHours(keys.get('quietHours'), fail);
  if (keys.has('budget')) policy.budget = readBudget(keys.get('budget'), fail);
  if (keys.has('messagingLimit'))
    policy.messagingLimit = positiveInt(keys.get('messagingLimit'), 'policy.messagingLimit', fail);
  if (keys.has('overLimit')) {
    const mode = scalar(keys.get('overLimit'));
    if (mode !== 'hold' && mode !== 'schedule')
      fail(keys.get('overLimit'), 'policy.overLimit must be hold or schedule');
    policy.overLimit = mode;
  }
  return policy;
}

function amount(node: Node | null | undefined, name: string, fail: ConfigFail): [bigint, string] {
  // The digits as written: a budget is money, never a float.
  const written = isScalar(node) ? (node.source ?? String(node.value)) : undefined;
  const value = parseAmount(written);
  if (value === undefined || written === undefined)
    fail(node, `${name} must be an amount in the rate card's currency, e.g. 250 or 99.50`);
  return [value, written];
}

function readBudget(node: Node | null | undefined, fail: ConfigFail): Budget {
  if (isScalar(node)) {
    const [perApply, written] = amount(node, 'policy.budget', fail);
    return { perApply, written: { perApply: written } };
  }
  if (!isMap(node)) fail(node, 'policy.budget must be an amount or a mapping {perApply, perSpec}');
  const keys = keysOf(node, ['perApply', 'perSpec'], 'policy.budget', fail);
  const budget: Budget = { written: {} };
  for (const key of ['perApply', 'perSpec'] as const) {
    if (!keys.has(key)) continue;
    const [value, written] = amount(keys.get(key), `policy.budget.${key}`, fail);
    budget[key] = value;
    budget.written[key] = written;
  }
  return budget;
}

/**
 * `suppressions:` of the config file: one path or a list, relative to the config file's folder.
 * `at` gives each entry's position, so a diagnostic about a file points at the line naming it.
 */
export function readSuppressionPaths<W>(
  node: Node | null | undefined,
  configDir: string,
  fail: ConfigFail,
  at: (node: Node) => W,
): { paths: string[]; sites: Record<string, W> } {
  const sites: Record<string, W> = {};
  if (node === undefined || node === null) return { paths: [], sites };
  const items = isSeq(node) ? (node.items as Array<Node | null>) : [node];
  const paths = items.map((item) => {
    const value = scalar(item);
    if (typeof value !== 'string' || value === '')
      fail(item ?? node, 'suppressions must be a file path or a list of them');
    if (!SUPPRESSION_FILE.test(value))
      fail(
        item,
        `suppression file ${value} is not .csv, .ndjson or .jsonl`,
        'a suppression file is a CSV with a phoneNumber column, or NDJSON lines {"phoneNumber": …}',
      );
    const absolute = path.resolve(configDir, value);
    if (item) sites[absolute] ??= at(item);
    return absolute;
  });
  return { paths, sites };
}
