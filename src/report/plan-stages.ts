import type { Plan } from '../plan/types.js';
import { revealOneLine } from './reveal-invisible.js';

const n = (x: number) => x.toLocaleString('en-US');

/**
 * The stages apply sends in, with their messages, and each spec's canary (chosen, or sent by an
 * earlier apply); none when the plan has no stages. Spec names and times (a saved plan's) shown escaped.
 */
export function stagesLines(plan: Pick<Plan, 'stages' | 'specs'>): string[] {
  const stages = plan.stages;
  if (!stages) return [];
  const pause = stages.pause
    ? '; apply pauses after the canary (rollout.pause), a later apply sends the rest'
    : '';
  const out = [
    `Stages: seed ${n(stages.seed)} → canary ${n(stages.canary)} → rest ${n(stages.rest)}${pause}`,
  ];
  for (const spec of plan.specs) {
    const rollout = spec.rollout;
    if (!rollout) continue;
    const name = revealOneLine(spec.name);
    out.push(
      rollout.sent
        ? `Canary of ${name} done: ${n(rollout.sent.messages)} sent and healthy at ${revealOneLine(rollout.sent.at)}; its other messages go with the rest`
        : `Canary of ${name}: ${revealOneLine(rollout.canary)} of its messages, judged by the breaker's thresholds before the rest${rollout.pause ? ', then a pause' : ''}`,
    );
  }
  return out;
}
