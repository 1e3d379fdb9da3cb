// The goals of issue 26 beside their figures. A section calls judge() where it prints a figure that
// has a goal and prints what it returns ("goal <= 1.3x: not met"); bench/run.mjs ends with every
// goal judged in the run (printGoals). Figures, not a test: nothing fails.

const ONE_GIB = 1024;

/** Every goal: what it measures, its limit, and whether the figure must be under it or at most it. */
export const GOALS = {
  compileCpu: { what: 'compile CPU / floor CPU', limit: 1.3, unit: 'x' },
  compileWall: { what: 'compile wall / floor wall (2 cores)', limit: 0.75, unit: 'x' },
  compileRss: { what: 'compile peak RSS (the goal is at 1M)', limit: 256, unit: ' MiB' },
  planRss: { what: 'plan peak RSS', limit: ONE_GIB, unit: ' MiB', under: true },
  applyRss: { what: 'apply peak RSS', limit: ONE_GIB, unit: ' MiB', under: true },
  versionStart: { what: 'waspec --version / node -e 0 (issue 15)', limit: 1.5, unit: 'x' },
  validateStart: { what: 'validate of one small spec / node -e 0', limit: 3, unit: 'x' },
  planStart: { what: 'plan of one small spec / node -e 0', limit: 4, unit: 'x' },
  stateBytes: {
    what: 'state snapshot bytes per accepted message (10M in well under 1 GiB)',
    limit: 80,
    unit: ' B',
  },
  linear: { what: 'time at 10M / time at 1M', limit: 11, unit: 'x' },
};

const judged = [];

const show = (value, unit) =>
  unit === 'x' ? `${value.toFixed(2)}x` : `${Math.round(value).toLocaleString('en-US')}${unit}`;

/**
 * Judges `value` against a goal, remembers it for printGoals (with `label`: the command, size or
 * figure it is), and returns "goal <= 1.3x: met" or "… not met" to print beside the figure.
 */
export function judge(name, value, label = '') {
  const goal = GOALS[name];
  if (!goal) throw new Error(`no goal ${name}`);
  const met = goal.under ? value < goal.limit : value <= goal.limit;
  const text = `goal ${goal.under ? '<' : '<='} ${show(goal.limit, goal.unit)}: ${met ? 'met' : 'NOT met'}`;
  judged.push({ goal, label, value, met, text });
  return text;
}

/** Every goal judged in this run, one line each, with how many were met. */
export function printGoals() {
  if (judged.length === 0) return;
  console.log(
    `\ngoals of issue 26 judged in this run (${judged.filter((j) => j.met).length} of ${judged.length} met)`,
  );
  for (const { goal, label, value, text } of judged)
    console.log(
      `${`${goal.what}${label ? `, ${label}` : ''}`.padEnd(62)} ${show(value, goal.unit).padStart(10)}  ${text}`,
    );
}
