import type { EntryList } from './entry-list.js';
import { createHash } from 'node:crypto';
import { maskPhone } from '../diagnostics/mask-phone.js';
import { contentHashOf, type PlanEntry } from './types.js';

/**
 * A saved plan of many messages lists only its first entries and keeps this digest of them all:
 * apply plans again and compares the digest of the fresh plan's entries (apply sends that plan).
 */
export interface EntriesDigest {
  /** How many entries the plan has (its `entries` list the first of them). */
  count: number;
  /** sha256 hex of every entry's canonical line (canonicalEntry), in plan order. */
  sha256: string;
}

/**
 * What of an entry a saved plan vouches for, as one line: what apply compares one for one with a
 * fresh plan (messageId, action, spec, revision, content, held from and moved to, masked number,
 * and the stage when it has one: a plan without stages digests as before stages existed).
 */
export function canonicalEntry(entry: PlanEntry): string {
  const held = 'hold' in entry ? entry.hold.was : '';
  const shift = 'shift' in entry && entry.shift ? entry.shift.sendAt : '';
  // An orphan's number is masked already (the state keeps no full one).
  const phone = entry.action === 'orphan' ? entry.phoneNumber : maskPhone(entry.phoneNumber);
  const stage = 'stage' in entry && entry.stage ? [entry.stage] : [];
  return `${JSON.stringify([
    entry.messageId,
    entry.action,
    entry.spec,
    entry.revision,
    contentHashOf(entry) ?? '',
    held,
    shift,
    phone,
    ...stage,
  ])}\n`;
}

/** The digest of a plan's entries (full numbers or masked ones give the same). */
export function digestEntries(entries: EntryList): EntriesDigest {
  const hash = createHash('sha256');
  for (const entry of entries) hash.update(canonicalEntry(entry));
  return { count: entries.length, sha256: hash.digest('hex') };
}
