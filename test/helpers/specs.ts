/** A text spec for n recipients, with a CSV when n is large. */
export function textSpec(
  name: string,
  phones: readonly string[],
  text = 'Hello {{name}}',
  batchSize = 50,
): Record<string, string> {
  const csv = ['phoneNumber,name', ...phones.map((p, i) => `${p},Person ${i}`)].join('\n');
  return {
    [`specs/${name}.yaml`]: `name: ${name}\nrevision: 1\nbatchSize: ${batchSize}\nwhatsApp:\n  text: "${text}"\nrecipients:\n  - file: ${name}.csv\n`,
    [`specs/${name}.csv`]: `${csv}\n`,
  };
}

/** n distinct valid Swiss mobile numbers (41 79 …). */
export function swissNumbers(n: number, start = 1000000): string[] {
  return Array.from({ length: n }, (_, i) => `4179${String(start + i).padStart(7, '0')}`);
}
