import { noun } from './plural.js';
import type { ApplyResult } from '../apply/apply-result.js';
import { escapeInvisibleInJson } from '../plan/plan-json.js';
import { AFTER_TRIP, breakerCause, breakerReasons } from './breaker-trip.js';
import { revealOneLine } from './reveal-invisible.js';

/** Rejected, failed and in-doubt messages listed by (masked) number and spec; the rest are counted. */
const MAX_FAILED = 10;

const n = (x: number) => x.toLocaleString('en-US');

/** The end of an apply: outcomes, status groups, failures and what to do next. API answer text is shown escaped. */
export function formatApplySummary(result: ApplyResult): string {
  const m = result.messages;
  const lines = [
    `Apply ${result.interrupted ? 'interrupted' : result.authFailure || result.breaker ? 'stopped' : result.paused ? 'paused' : 'complete'}: ${n(m.accepted)} accepted, ${n(m.rejected)} rejected, ${n(m.failed)} failed, ${n(m.inDoubt)} in doubt${m.notSent ? `, ${n(m.notSent)} not ${result.paused ? 'sent yet' : 'sent'}` : ''} (${n(result.requests)} ${noun(result.requests, 'request')}).`,
  ];
  if (result.canary) lines.push(canaryLine(result));
  const groups = Object.entries(result.byStatusGroup).sort();
  if (groups.length > 0)
    lines.push(`Status groups: ${groups.map(([g, c]) => `${g} ×${n(c)}`).join(', ')}`);
  for (const status of result.unknownStatuses.slice(0, 5)) {
    lines.push(
      `  ? unknown status group ${status.groupId} ${revealOneLine(`${status.groupName} / ${status.id} ${status.name}: ${status.description}`)} (left in doubt)`,
    );
  }
  const spec = (specs: readonly string[] | undefined, i: number) => specs?.[i];
  const named = [
    ...(result.answeredProblems ?? []).map((p) => ({
      number: p.number,
      spec: p.spec,
      reason: `${p.outcome === 'rejected' ? 'rejected' : 'in doubt'}: ${p.reason}`,
    })),
    ...result.failures.flatMap((f) =>
      f.numbers.map((number, i) => ({ number, spec: spec(f.specs, i), reason: f.reason })),
    ),
    ...result.inDoubtRequests.flatMap((f) =>
      f.numbers.map((number, i) => ({
        number,
        spec: spec(f.specs, i),
        reason: `in doubt: ${f.reason}`,
      })),
    ),
  ];
  // Every rejected, failed or in-doubt message counts, named or not (answered ones are kept up to ten).
  const total = Math.max(named.length, m.rejected + m.failed + m.inDoubt);
  if (total > 0) lines.push('Rejected, failed or in doubt:');
  for (const { number, spec: name, reason } of named.slice(0, MAX_FAILED))
    lines.push(
      `  ✗ ${revealOneLine(number)}${name === undefined ? '' : ` (${revealOneLine(name)})`}: ${revealOneLine(reason)}`,
    );
  const shown = Math.min(named.length, MAX_FAILED);
  if (total > shown) lines.push(`  … and ${n(total - shown)} more`);
  if (result.authFailure) lines.push(`Authentication failed: ${revealOneLine(result.authFailure)}`);
  if (result.paused)
    lines.push(
      `Paused after the canary (rollout.pause): the ${n(m.notSent)} other messages wait. Look at the canary, then run apply again to send the rest.`,
    );
  else if (result.breaker) {
    lines.push(`Circuit breaker tripped: ${breakerCause(result.breaker)}. Top reasons:`);
    lines.push(...breakerReasons(result.breaker));
    lines.push(
      `Nothing more was sent; the ${n(m.notSent)} messages not sent stay planned (none in doubt). Fix the cause, then: ${AFTER_TRIP}.`,
    );
  } else if (m.notSent > 0)
    lines.push('Messages not sent stay planned: run apply again to send them.');
  if (m.failed > 0) lines.push('Failed messages are planned as retry by the next plan.');
  if (m.inDoubt > 0)
    lines.push('Messages in doubt are not re-sent unless you ask: waspec plan --resend-in-doubt.');
  return `${lines.join('\n')}\n`;
}

/** The canary's verdict: sent and healthy (the rest followed, or waits), or not healthy. */
function canaryLine(result: ApplyResult): string {
  const canary = result.canary;
  if (!canary) return '';
  const sent = `Canary: ${n(canary.messages)} ${noun(canary.messages, 'message')} sent`;
  if (!canary.healthy) return `${sent}, not healthy: the rest was not sent.`;
  return `${sent}, healthy by the breaker's thresholds${result.paused ? '' : '; the rest followed'}.`;
}

/** `apply --format json`: API answer text inside keeps invisible characters as \u escapes. */
export function formatApplyJson(result: ApplyResult): string {
  return `${escapeInvisibleInJson(JSON.stringify(result, null, 2))}\n`;
}
