import { setEntry, type EntryList } from './entry-list.js';
import { createHash } from 'node:crypto';
import { canaryCount, canaryText, rolloutOf, type Rollout } from '../message-spec/rollout.js';
import type { SpecDocument } from '../message-spec/types.js';
import { canaryKey, type CanarySent } from '../state/types.js';
import { isSeed, isSending, stageOf, type PlanStages, type SpecRolloutInfo } from './types.js';

/** The rollout a spec follows: its own `rollout:`, else the config's policy.rollout. */
export function rolloutFor(doc: SpecDocument, policy: Rollout | undefined): Rollout | undefined {
  return doc.spec.rollout ? rolloutOf(doc.spec.rollout) : policy;
}

/** Where a messageId ranks for the canary: a hash, so the choice is spread and the same every plan. */
function rank(messageId: string): string {
  return createHash('sha256').update(messageId).digest('hex');
}

/**
 * Which of a spec's messages are its canary: the `canaryCount` whose messageIds rank first by
 * hash, among all its recipients' messages compiled now (sent or not; seeds are not among them), so a re-plan picks the same ones and
 * adding recipients moves only a few.
 */
export function chooseCanary(messageIds: readonly string[], rollout: Rollout): Set<string> {
  const count = canaryCount(rollout.canary, messageIds.length);
  const ranked = messageIds.map((id) => [rank(id), id] as const);
  ranked.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return new Set(ranked.slice(0, count).map(([, id]) => id));
}

/**
 * Gives the send and retry entries of specs with a rollout their stage: the canary's 'canary', the
 * others 'rest'; every one 'rest' once the state records that spec revision's canary sent. Entries
 * that have a stage already (seeds) keep it. Returns each spec's rollout as the plan shows it.
 */
export function assignStages(
  entries: EntryList,
  docs: readonly SpecDocument[],
  policy: Rollout | undefined,
  canaries: ReadonlyMap<string, CanarySent> | undefined,
): Map<string, SpecRolloutInfo> {
  const infos = new Map<string, SpecRolloutInfo>();
  const rollouts = new Map<string, Rollout>();
  for (const doc of docs) {
    const rollout = rolloutFor(doc, policy);
    if (!rollout) continue;
    rollouts.set(doc.spec.name, rollout);
    const sent = canaries?.get(canaryKey(doc.spec.name, doc.spec.revision));
    infos.set(doc.spec.name, {
      canary: canaryText(rollout.canary),
      pause: rollout.pause,
      ...(sent ? { sent: { at: sent.at, messages: sent.messages } } : {}),
    });
  }
  if (rollouts.size === 0) return infos;
  const ids = new Map<string, string[]>();
  for (const entry of entries) {
    // Seeds are test messages, sent before the canary: the share is of the audience alone.
    if (entry.action === 'orphan' || isSeed(entry) || !rollouts.has(entry.spec)) continue;
    const list = ids.get(entry.spec);
    if (list) list.push(entry.messageId);
    else ids.set(entry.spec, [entry.messageId]);
  }
  const chosen = new Map<string, Set<string>>();
  for (const [spec, list] of ids)
    if (!infos.get(spec)?.sent) chosen.set(spec, chooseCanary(list, rollouts.get(spec) as Rollout));
  entries.forEach((entry, i) => {
    if (!isSending(entry) || entry.stage || !rollouts.has(entry.spec)) return;
    const stage = chosen.get(entry.spec)?.has(entry.messageId) ? 'canary' : 'rest';
    setEntry(entries, i, { ...entry, stage });
  });
  return infos;
}

/**
 * The plan's stages with the messages each sends; undefined when no spec has a rollout and no
 * entry a stage. `pause` when apply stops after the canary: a spec of the canary pauses, and
 * something is left to send after it.
 */
export function planStages(
  entries: EntryList,
  rollouts: ReadonlyMap<string, SpecRolloutInfo>,
): PlanStages | undefined {
  const stages: PlanStages = { seed: 0, canary: 0, rest: 0 };
  let staged = rollouts.size > 0;
  const pausing = new Set<string>();
  for (const entry of entries) {
    if (!isSending(entry)) continue;
    if (entry.stage) staged = true;
    const stage = stageOf(entry);
    stages[stage]++;
    if (stage === 'canary' && rollouts.get(entry.spec)?.pause) pausing.add(entry.spec);
  }
  if (!staged) return undefined;
  return pausing.size > 0 && stages.rest > 0 ? { ...stages, pause: true } : stages;
}
