/** Every generated reference page: its path relative to the repository → its content. */
export function generateReference(): Promise<Record<string, string>>;
