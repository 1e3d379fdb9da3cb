import type { Plan, PlanCost } from '../plan/types.js';
import { formatCents, parseAmount } from '../rates/money.js';
import { revealOneLine as shown } from './reveal-invisible.js';

/** Countries named before "the rest" is summed. */
export const TOP_COUNTRIES = 5;

const n = (x: number) => x.toLocaleString('en-US');
const cents = (amount: string) => formatCents(parseAmount(amount) ?? 0n);
const signed = (amount: string) => {
  const micros = amount.startsWith('-')
    ? -(parseAmount(amount.slice(1)) ?? 0n)
    : (parseAmount(amount) ?? 0n);
  return `${micros > 0n ? '+' : ''}${formatCents(micros)}`;
};

/** The headline: what the plan costs, with the rate card it was priced with. */
export function costHeadline(cost: PlanCost): string {
  const example = cost.rates.example ? ', an EXAMPLE card' : '';
  // A saved plan's figures are untrusted: its texts are shown escaped.
  return `Estimated cost: ${shown(cost.currency)} ${cents(cost.total.amount)} for ${n(cost.total.messages)} messages (rates ${shown(cost.rates.file)}, effective ${shown(cost.rates.effective)}${example})`;
}

/** The figures as rows of label and value: per category, the top countries and the rest, per spec with its change. */
export function costRows(cost: PlanCost): Array<{ label: string; value: string }> {
  const currency = shown(cost.currency);
  const money = (amount: string, messages: number) =>
    `${currency} ${cents(amount)} (${n(messages)})`;
  const rows: Array<{ label: string; value: string }> = [];
  for (const c of cost.byCategory)
    if (c.messages > 0) rows.push({ label: c.category, value: money(c.amount, c.messages) });
  const top = cost.byCountry.slice(0, TOP_COUNTRIES);
  for (const c of top)
    rows.push({
      label: `+${c.code}${c.priced === 'default' ? ' (default rate)' : ''}`,
      value: money(c.amount, c.messages),
    });
  const rest = cost.byCountry.slice(TOP_COUNTRIES);
  if (rest.length > 0) {
    const micros = rest.reduce((sum, c) => sum + (parseAmount(c.amount) ?? 0n), 0n);
    const messages = rest.reduce((sum, c) => sum + c.messages, 0);
    rows.push({
      label: `${rest.length} other codes`,
      value: `${currency} ${formatCents(micros)} (${n(messages)})`,
    });
  }
  if (cost.seeds)
    rows.push({
      label: 'seeds (test messages)',
      value: `${money(cost.seeds.amount, cost.seeds.messages)}, included above`,
    });
  for (const s of cost.bySpec) {
    const change = s.previous
      ? `, ${signed(s.change ?? '0.00')} against revision ${s.previous.revision} (${currency} ${cents(s.previous.amount)}, ${n(s.previous.messages)})`
      : ', no earlier apply';
    rows.push({ label: `spec ${shown(s.spec)}`, value: `${money(s.amount, s.messages)}${change}` });
  }
  if (cost.uncategorised)
    rows.push({
      label: 'priced as marketing',
      value: `no category in the catalogue: ${shown(cost.uncategorised.join(', '))}`,
    });
  return rows;
}

/** The messaging limit and how long apply takes, in a line each. */
export function paceLines(plan: Pick<Plan, 'messagingLimit' | 'pace'>): string[] {
  const out: string[] = [];
  const limit = plan.messagingLimit;
  if (limit) {
    const over =
      limit.over === 0
        ? 'none over it'
        : `${n(limit.over)} over it ${limit.mode === 'hold' ? 'held' : 'scheduled in later waves'}, the first from ${limit.nextAt ?? '?'}`;
    out.push(
      `Messaging limit: ${n(limit.recent)} + ${n(limit.admitted)} of ${n(limit.limit)} unique recipients in 24 h; ${over}`,
    );
  }
  const pace = plan.pace;
  if (pace?.seconds !== undefined && pace.rateLimit !== undefined)
    out.push(
      `Duration: ${n(pace.requests)} requests at ${pace.rateLimit}/s take about ${duration(pace.seconds)}`,
    );
  return out;
}

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s} s` : `${s} s`;
}
