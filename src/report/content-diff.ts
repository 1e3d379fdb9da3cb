// The word diff alone (3 of the package's 19 modules: every plan loads this file).
import { diffWordsWithSpace } from 'diff/lib/diff/word.js';
import type { EntryList } from '../plan/entry-list.js';
import type { MessageContent } from '../api/types.js';
import { MAX_PREVIOUS_CONTENTS } from '../plan/look-up-contents.js';
import { contentHashOf, type Plan, type PlanEntry } from '../plan/types.js';
import {
  MAX_STORED_CONTENT_CHARS,
  MAX_STORED_VALUE_CHARS,
  storedContentOf,
} from '../state/stored-content.js';
import type { StoredContent } from '../state/types.js';
import { describeContent } from './plan-content.js';
import { plural } from './plural.js';

/** A piece of a value; `changed` pieces are the words removed (before) or added (after). */
export interface WordPart {
  text: string;
  changed: boolean;
}

/** One field of a drift, Terraform's way: changed (old → new), added or removed. */
export type FieldChange =
  | { kind: 'changed'; label: string; before: WordPart[]; after: WordPart[] }
  | { kind: 'added'; label: string; after: string }
  | { kind: 'removed'; label: string; before: string };

/** What changed between what was accepted and the content now, for the recipients of one earlier content. */
export interface DriftDiff {
  /** previous.contentHash of these recipients. */
  previousHash: string;
  entries: PlanEntry[];
  /** Undefined when the earlier content is unknown (`unknown` says why). */
  fields?: FieldChange[];
  unknown?: string;
  /** The earlier content was cut by the state: only the kept part is compared. */
  cut?: boolean;
  /**
   * Set when the diff is of the spec's message as written (`previousHash` is its hash): one diff
   * for every recipient it concerns. `values` when the message as written is the same, so only
   * recipients' values changed (the state keeps no earlier values to show).
   */
  written?: 'message' | 'values';
}

/** Word diffs stop after this many edits (the whole value then shows as changed): bounded work. */
const MAX_EDITS = 1000;

/** The words that differ between two values, marked on each side. */
export function diffWords(
  before: string,
  after: string,
): { before: WordPart[]; after: WordPart[] } {
  const changes = diffWordsWithSpace(before, after, { maxEditLength: MAX_EDITS });
  if (!changes)
    return { before: [{ text: before, changed: true }], after: [{ text: after, changed: true }] };
  const out = { before: [] as WordPart[], after: [] as WordPart[] };
  for (const c of changes) {
    if (!c.added) out.before.push({ text: c.value, changed: c.removed });
    if (!c.removed) out.after.push({ text: c.value, changed: c.added });
  }
  return out;
}

/** The fields that differ, in the order a reviewer reads the message (removed ones last). */
export function diffContents(before: MessageContent, after: MessageContent): FieldChange[] {
  const old = new Map(describeContent(before).map((f) => [f.label, f.value]));
  const changes: FieldChange[] = [];
  for (const f of describeContent(after)) {
    const was = old.get(f.label);
    old.delete(f.label);
    if (was === undefined) changes.push({ kind: 'added', label: f.label, after: f.value });
    else if (was !== f.value)
      changes.push({ kind: 'changed', label: f.label, ...diffWords(was, f.value) });
  }
  for (const [label, was] of old) changes.push({ kind: 'removed', label, before: was });
  return changes;
}

/** The earlier content of a hash, if the plan holds it (own keys only: hashes come from the state). */
function previousContentOf(plan: Plan, hash: string): StoredContent | undefined {
  const all = plan.previousContents;
  return all && Object.hasOwn(all, hash) ? all[hash] : undefined;
}

/**
 * The diffs of one drift group (one content now), one per earlier content, biggest first. Today's
 * content passes through what the state does to a content (numbers masked, values cut) first, so
 * like is compared with like.
 */
export function driftDiffs(
  plan: Plan,
  contentHash: string,
  entries: readonly PlanEntry[],
): DriftDiff[] {
  const now = Object.hasOwn(plan.contents, contentHash) ? plan.contents[contentHash] : undefined;
  const byPrevious = new Map<string, PlanEntry[]>();
  for (const e of entries) {
    const hash = e.previous?.contentHash ?? '';
    const group = byPrevious.get(hash);
    if (group) group.push(e);
    else byPrevious.set(hash, [e]);
  }
  const diffs = [...byPrevious].map(([previousHash, group]): DriftDiff => {
    const earlier = previousContentOf(plan, previousHash);
    if (!earlier || !now) {
      const omitted = plan.previousContentsOmitted
        ? `, or is one of the ${plan.previousContentsOmitted.toLocaleString('en-US')} the plan leaves out (it holds ${MAX_PREVIOUS_CONTENTS.toLocaleString('en-US')})`
        : '';
      return {
        previousHash,
        entries: group,
        unknown: `earlier content unknown: it was accepted before the state kept contents${omitted}`,
      };
    }
    const stored = storedContentOf(now);
    const diff: DriftDiff = {
      previousHash,
      entries: group,
      fields: diffContents(earlier.content, stored.content),
    };
    if (earlier.cut || stored.cut) diff.cut = true;
    return diff;
  });
  return diffs.sort((a, b) => b.entries.length - a.entries.length);
}

/** A diff's heading: what changed, and for how many recipients when that is not plain from the group. */
export function diffTitle(diff: DriftDiff, several: boolean): string {
  const n = diff.entries.length;
  const whom = plural(n, 'recipient');
  if (diff.written === 'message')
    return `The message as written changed since it was accepted (${whom})`;
  if (diff.written === 'values')
    return `Recipients' values changed since they were accepted (${whom}); the message as written is the same`;
  return `Changed since it was accepted${several ? ` (${whom})` : ''}`;
}

/** Says what a diff cannot show: an empty one (the change is in a masked number or a cut part), a cut one. */
export function diffNote(diff: DriftDiff): string | undefined {
  if (diff.unknown !== undefined) return diff.unknown;
  if (diff.written === 'values')
    return 'the state keeps no earlier values (they are personal data): the values now are listed with the group';
  const limits = `${MAX_STORED_VALUE_CHARS.toLocaleString('en-US')} characters a value, ${MAX_STORED_CONTENT_CHARS.toLocaleString('en-US')} in all`;
  if (diff.fields?.length === 0)
    return `no difference shows: the change is inside a masked phone number or beyond what the state keeps (${limits})`;
  if (diff.cut) return `compared as the state keeps contents: cut to ${limits}`;
  return undefined;
}

/**
 * The diffs of the message as written: one per earlier message as written, each for every
 * recipient it concerns (a personalised spec's 5,000 drifts are one edit of its text).
 */
function writtenDiffs(plan: Plan, entries: readonly PlanEntry[]): DriftDiff[] {
  const specs = new Map(plan.specs.map((s) => [s.name, s]));
  const byPrevious = new Map<string, PlanEntry[]>();
  for (const e of entries) {
    const key = `${e.spec}\n${e.previous?.writtenHash ?? ''}`;
    const group = byPrevious.get(key);
    if (group) group.push(e);
    else byPrevious.set(key, [e]);
  }
  return [...byPrevious.values()].map((group): DriftDiff => {
    const first = group[0] as PlanEntry;
    const previousHash = first.previous?.writtenHash ?? '';
    const spec = specs.get(first.spec);
    if (spec?.writtenHash === previousHash)
      return { previousHash, entries: group, fields: [], written: 'values' };
    const earlier = previousContentOf(plan, previousHash);
    if (!earlier || !spec?.written)
      return {
        previousHash,
        entries: group,
        written: 'message',
        unknown: 'the earlier message as written is unknown to this plan',
      };
    const diff: DriftDiff = {
      previousHash,
      entries: group,
      fields: diffContents(earlier.content, spec.written),
      written: 'message',
    };
    if (earlier.cut) diff.cut = true;
    return diff;
  });
}

/**
 * The diffs of a drift group: of the message as written for messages the state keeps that of,
 * biggest first; else of the group's first `max` contents (a personalised spec has one per recipient).
 */
export function groupDriftDiffs(
  plan: Plan,
  contents: readonly string[],
  entries: EntryList,
  max: number,
): DriftDiff[] {
  const ofWritten = entries.filter((e) => e.previous?.writtenHash !== undefined);
  const written = ofWritten.length > 0 ? writtenDiffs(plan, ofWritten) : [];
  const older =
    ofWritten.length === entries.length
      ? []
      : entries.filter((e) => e.previous?.writtenHash === undefined);
  return [
    ...written.sort((a, b) => b.entries.length - a.entries.length),
    ...olderDiffs(plan, contents, older, max),
  ];
}

function olderDiffs(
  plan: Plan,
  contents: readonly string[],
  entries: readonly PlanEntry[],
  max: number,
): DriftDiff[] {
  if (entries.length === 0) return [];
  const wanted = new Set(contents.slice(0, Math.max(0, max)));
  const byHash = new Map<string, PlanEntry[]>();
  for (const e of entries) {
    const hash = contentHashOf(e);
    if (hash === undefined || !wanted.has(hash)) continue;
    const list = byHash.get(hash);
    if (list) list.push(e);
    else byHash.set(hash, [e]);
  }
  return [...byHash].flatMap(([hash, list]) => driftDiffs(plan, hash, list));
}
