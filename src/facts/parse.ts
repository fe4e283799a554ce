/** A fact's output did not have the shape its parser expects: the command or the host is broken, not the playbook. */
export class FactError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FactError';
  }
}

/**
 * `key=value` lines as the fact commands print them. Values never hold a
 * newline: anything that might (paths, contents) is base64, or C-quoted
 * (link targets, see `cQuoted`).
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

const C_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11 };

/**
 * The C-quoted strings GNU `stat` prints for `%N` with QUOTING_STYLE=c and
 * LC_ALL=C, e.g. `"l" -> "a\nb\303\251"` for a link: every byte that is
 * not printable ASCII is an escape, so the line never holds a newline and
 * any byte survives. Returns the strings' bytes in order; throws on
 * anything else.
 */
export function cQuoted(value: string, what: string): Buffer[] {
  const out: Buffer[] = [];
  let i = 0;
  const bad = (): never => {
    throw new FactError(`${what}: expected a C-quoted string at ${i} of ${JSON.stringify(value)}`);
  };
  for (;;) {
    if (value[i] !== '"') bad();
    i++;
    const bytes: number[] = [];
    for (;;) {
      const c = value[i];
      if (c === undefined) bad();
      if (c === '"') break;
      if (c !== '\\') {
        // printable ASCII; a stat that kept its locale's characters sends them as UTF-8
        const cp = value.codePointAt(i) ?? 0;
        const ch = String.fromCodePoint(cp);
        bytes.push(...Buffer.from(ch, 'utf8'));
        i += ch.length;
        continue;
      }
      const e = value[i + 1] ?? bad();
      const octal = /^[0-7]{1,3}/.exec(value.slice(i + 1, i + 4));
      if (octal) {
        bytes.push(parseInt(octal[0], 8) & 0xff);
        i += 1 + octal[0].length;
      } else {
        bytes.push(C_ESCAPES[e] ?? e.charCodeAt(0) & 0xff);
        i += 2;
      }
    }
    out.push(Buffer.from(bytes));
    i++;
    if (i === value.length) return out;
    if (!value.startsWith(' -> ', i)) bad();
    i += 4;
  }
}
