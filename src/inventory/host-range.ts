/**
 * Ansible's host ranges: `web[01:03].example.com` is web01, web02, web03
 * (leading zeros kept), `db-[a:c]` is db-a, db-b, db-c, and `[1:9:2]` has a
 * step. Several ranges in one name multiply out.
 */
const RANGE = /\[([0-9]+|[a-z]+|[A-Z]+):([0-9]+|[a-z]+|[A-Z]+)(?::([0-9]+))?\]/;

export class HostRangeError extends Error {}

function expandOne(from: string, to: string, step: number): string[] {
  const numeric = /^[0-9]+$/.test(from);
  if (numeric !== /^[0-9]+$/.test(to)) throw new HostRangeError(`range [${from}:${to}] mixes digits and letters`);
  if (!numeric && (from.length !== 1 || to.length !== 1)) throw new HostRangeError(`letter range [${from}:${to}] must be single letters`);
  const a = numeric ? Number(from) : from.charCodeAt(0);
  const b = numeric ? Number(to) : to.charCodeAt(0);
  if (a > b) throw new HostRangeError(`range [${from}:${to}] runs backwards`);
  if (step < 1) throw new HostRangeError('a range step must be at least 1');
  if ((b - a) / step > 10000) throw new HostRangeError(`range [${from}:${to}] is too large`);
  const width = numeric && from.length > 1 && from.startsWith('0') ? from.length : 0;
  const out: string[] = [];
  for (let i = a; i <= b; i += step) out.push(numeric ? String(i).padStart(width, '0') : String.fromCharCode(i));
  return out;
}

export function hasRange(name: string): boolean {
  return RANGE.test(name);
}

/** All the names a name with ranges stands for (the name itself when it has none). */
export function expandHostRange(name: string): string[] {
  const m = RANGE.exec(name);
  if (!m) return [name];
  const head = name.slice(0, m.index);
  const tails = expandHostRange(name.slice(m.index + m[0].length));
  return expandOne(m[1]!, m[2]!, m[3] ? Number(m[3]) : 1).flatMap((v) => tails.map((t) => head + v + t));
}
