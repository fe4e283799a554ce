/** A fact's output did not have the shape its parser expects: the command or the host is broken, not the playbook. */
export class FactError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FactError';
  }
}

/**
 * `key=value` lines as the fact commands print them. Values never hold a
 * newline: anything that might (paths, contents, link targets) is base64.
 * Later keys win; lines without `=` are ignored.
 */
export function keyValues(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return out;
}

export function requireKey(kv: Map<string, string>, key: string, what: string): string {
  const v = kv.get(key);
  if (v === undefined) throw new FactError(`${what}: the host did not report "${key}"`);
  return v;
}

export function toInt(value: string | undefined, what: string): number {
  const n = Number(value);
  if (value === undefined || value === '' || !Number.isInteger(n)) throw new FactError(`${what}: expected a whole number, got ${JSON.stringify(value)}`);
  return n;
}

/** Decode base64 to bytes (Node's decoder ignores whitespace). */
export function fromBase64(value: string): Buffer {
  return Buffer.from(value, 'base64');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as text, or undefined when they are binary (a NUL byte, or not UTF-8). */
export function asText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}
