import { ModuleFailure } from '../types.js';

/**
 * A `mode:` argument, normalised. YAML 1.2 (the `yaml` package's default,
 * which Rosey's loader uses) reads `mode: 0644` as the decimal number 644,
 * not as octal 420 as YAML 1.1 / Ansible did; so a number is read by its
 * decimal digits, each an octal digit: 644, 0644 and '0644' all mean 0644.
 * `0o644` (YAML 1.2's octal) arrives as 420 and so reads as 0420: write
 * `'0644'` or `0644`, never `0o644`. A number with an 8 or 9 is refused.
 */
export type ModeSpec = { kind: 'octal'; mode: string } | { kind: 'symbolic'; text: string };

const SYMBOLIC = /^[ugoa]*([-+=]([rwxXst]*|[ugo]))+(,[ugoa]*([-+=]([rwxXst]*|[ugo]))+)*$/;

export function parseMode(value: string | number): ModeSpec {
  if (typeof value === 'number') {
    const digits = String(value);
    if (!Number.isInteger(value) || !/^[0-7]{1,4}$/.test(digits)) {
      throw new ModuleFailure(`mode ${value} is not an octal mode: write it as a quoted string, e.g. mode: '0644'`);
    }
    return { kind: 'octal', mode: digits.padStart(4, '0') };
  }
  const v = value.trim();
  const octal = /^(?:0o)?([0-7]{3,4})$/.exec(v);
  if (octal) return { kind: 'octal', mode: octal[1]!.padStart(4, '0') };
  if (SYMBOLIC.test(v)) return { kind: 'symbolic', text: v };
  throw new ModuleFailure(`mode ${JSON.stringify(value)} is neither octal ('0644') nor symbolic ('u=rw,g=r,o=r')`);
}

/**
 * The 4-digit octal mode a path must end with. A symbolic mode applies to
 * the current mode as chmod would (umask ignored: `+x` means `a+x`); a path
 * that does not exist yet starts from 0644 (files) or 0755 (directories).
 */
export function resolveMode(spec: ModeSpec, current: string | undefined, isDir: boolean): string {
  if (spec.kind === 'octal') return spec.mode;
  let bits = parseInt(current ?? (isDir ? '0755' : '0644'), 8);
  for (const clause of spec.text.split(',')) bits = applyClause(clause, bits, isDir);
  return bits.toString(8).padStart(4, '0');
}

const SHIFT = { u: 6, g: 3, o: 0 } as const;
type Who = keyof typeof SHIFT;

function applyClause(clause: string, start: number, isDir: boolean): number {
  const m = /^([ugoa]*)(.*)$/.exec(clause)!;
  const who: Who[] = !m[1] || m[1].includes('a') ? ['u', 'g', 'o'] : ([...new Set(m[1])] as Who[]);
  let bits = start;
  for (const [, op, perms] of m[2]!.matchAll(/([-+=])([ugo]|[rwxXst]*)/g)) {
    for (const w of who) {
      const want = permBits(perms!, w, bits, isDir);
      const mask = (7 << SHIFT[w]) | specialBit(w);
      if (op === '+') bits |= want;
      else if (op === '-') bits &= ~want;
      else bits = (bits & ~mask) | want;
    }
  }
  return bits;
}

function specialBit(w: Who): number {
  return w === 'u' ? 0o4000 : w === 'g' ? 0o2000 : 0o1000;
}

function permBits(perms: string, w: Who, current: number, isDir: boolean): number {
  if (perms === 'u' || perms === 'g' || perms === 'o') return ((current >> SHIFT[perms]) & 7) << SHIFT[w];
  let rwx = 0;
  let special = 0;
  for (const p of perms) {
    if (p === 'r') rwx |= 4;
    else if (p === 'w') rwx |= 2;
    else if (p === 'x') rwx |= 1;
    else if (p === 'X' && (isDir || (current & 0o111) !== 0)) rwx |= 1;
    else if (p === 's' && w !== 'o') special |= specialBit(w);
    else if (p === 't' && w === 'o') special |= 0o1000;
  }
  return (rwx << SHIFT[w]) | special;
}
