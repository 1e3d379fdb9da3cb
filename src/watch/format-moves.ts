import type { PlanMove } from './compare-plans.js';
import { styleOf } from '../report/plan-summary.js';
import { revealOneLine } from '../report/reveal-invisible.js';
import { plural } from '../report/plural.js';

const count = (n: number): string => n.toLocaleString('en-US');

/** Phrases past this many are summed up: the line stays short. */
const MOST = 8;

function fieldsText(fields: readonly string[]): string {
  if (fields.length === 0) return 'content';
  if (fields.length <= 3)
    return fields.length === 1
      ? (fields[0] ?? '')
      : `${fields.slice(0, -1).join(', ')} and ${fields.at(-1) ?? ''}`;
  return `${fields.slice(0, 2).join(', ')} and ${count(fields.length - 2)} more fields`;
}

function phrases(move: PlanMove, ofSpec: (spec: string) => string): string[] {
  const spec = 'spec' in move ? revealOneLine(move.spec) : '';
  switch (move.kind) {
    case 'spec-added':
      return [`${spec} now in the plan: ${plural(move.messages, 'message')}`];
    case 'spec-removed':
      return [`${spec} no longer in the plan (${plural(move.messages, 'message')})`];
    case 'revision':
      return [`revision of ${spec} ${move.from} → ${move.to}`];
    case 'content':
      return [`${fieldsText(move.fields)} of ${spec} changed: ${plural(move.messages, 'message')}`];
    case 'recipients':
      return [
        ...(move.added > 0 ? [`+${plural(move.added, 'recipient')}${ofSpec(spec)}`] : []),
        ...(move.removed > 0 ? [`−${plural(move.removed, 'recipient')}${ofSpec(spec)}`] : []),
      ];
    case 'action':
      return [`${styleOf(move.action).label} ${count(move.from)} → ${count(move.to)}`];
    case 'problems':
      return [
        ...(move.fixed > 0 ? [`${plural(move.fixed, move.severity)} fixed`] : []),
        ...(move.added > 0 ? [plural(move.added, `new ${move.severity}`)] : []),
      ];
  }
}

/**
 * The line `watch` prints after a run: `Since last run: text of black-friday changed: 3,100
 * messages · +12 recipients · 2 errors fixed`. Recipients name their spec when the plan has several.
 */
export function formatPlanMoves(moves: readonly PlanMove[], specs: number): string {
  if (moves.length === 0) return 'Since last run: nothing moved';
  const ofSpec = (spec: string) => (specs > 1 ? ` of ${spec}` : '');
  const all = moves.flatMap((m) => phrases(m, ofSpec));
  const shown = all.slice(0, MOST);
  if (all.length > MOST) shown.push(plural(all.length - MOST, 'more change'));
  return `Since last run: ${shown.join(' · ')}`;
}
