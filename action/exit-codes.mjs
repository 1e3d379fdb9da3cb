// waspec's exit codes (EXIT in src/errors.ts; test/action/exit-codes.test.ts keeps the two equal).
// The action runs without the built package's modules when it uses an installed waspec, so it has its own copy.
export const EXIT = Object.freeze({
  ok: 0,
  error: 1,
  changes: 2,
  notAccepted: 3,
  stateLost: 4,
  breaker: 5,
  paused: 6,
  interrupted: 130,
});
