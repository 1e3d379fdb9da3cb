/** "1 message", "3,100 messages": a count with its noun, grouped as en-US. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
