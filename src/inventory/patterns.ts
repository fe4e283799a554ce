import { userError, type SourceLoc } from '../errors/diagnostic.js';
import { suggest } from '../vars/did-you-mean.js';
import { expandHostRange, hasRange, HostRangeError } from './host-range.js';

/**
 * Ansible host patterns: `all` or `*`; a host; a group; `a:b` or `a,b`
 * (union); `a:!b` (but not b); `a:&b` (and also in b); globs `web*`,
 * `db?`; `~regex`; a group subscript `web[0]`, `web[1:2]` (0-based,
 * inclusive), and a name range `rosey-t[1:3]` when `rosey-t` is not a
 * group. As Ansible does, unions are taken first, then intersections,
 * then exclusions, whatever order they are written in. The result is in
 * inventory order.
 */
export interface PatternScope {
  /** all hosts in inventory order */
  hosts: readonly string[];
  groupHosts: ReadonlyMap<string, readonly string[]>;
}

/** Split on `,` and on `:` outside brackets (`web[1:3]` stays whole). */
export function splitPattern(pattern: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of pattern) {
    if (c === '[') depth++;
    if (c === ']') depth = Math.max(0, depth - 1);
    if ((c === ',' || c === ':') && depth === 0) {
      terms.push(cur.trim());
      cur = '';
    } else {
      cur += c;
    }
  }
  terms.push(cur.trim());
  return terms.filter((t) => t !== '');
}

function globRegex(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        const body = glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const SUBSCRIPT = /^(.+)\[(-?\d*)(?::(-?\d*))?\]$/;

/** Hosts a single term (no modifier) matches, or undefined when it names nothing. */
function matchTerm(term: string, scope: PatternScope): string[] | undefined {
  if (term === 'all' || term === '*') return [...scope.hosts];
  const group = scope.groupHosts.get(term);
  if (group) return [...group];
  if (scope.hosts.includes(term)) return [term];
  const sub = SUBSCRIPT.exec(term);
  if (sub && scope.groupHosts.has(sub[1]!)) {
    const hosts = scope.groupHosts.get(sub[1]!)!;
    const idx = (s: string, dflt: number) => (s === '' ? dflt : Number(s) < 0 ? hosts.length + Number(s) : Number(s));
    const from = idx(sub[2]!, 0);
    const to = sub[3] === undefined ? from : idx(sub[3], hosts.length - 1);
    return hosts.slice(from, to + 1);
  }
  let regexes: RegExp[];
  if (term.startsWith('~')) {
    try {
      regexes = [new RegExp(term.slice(1))];
    } catch (err) {
      throw new HostRangeError(`invalid regular expression: ${(err as Error).message}`);
    }
  } else if (hasRange(term)) {
    regexes = expandHostRange(term).map(globRegex);
  } else if (/[*?[]/.test(term)) {
    regexes = [globRegex(term)];
  } else {
    return undefined;
  }
  const matches = (name: string) => regexes.some((r) => r.test(name));
  const found = new Set<string>();
  for (const [g, hs] of scope.groupHosts) if (matches(g)) hs.forEach((h) => found.add(h));
  for (const h of scope.hosts) if (matches(h)) found.add(h);
  return found.size > 0 ? [...found] : undefined;
}

/** Evaluate a pattern to a set of host names; `what` names it in errors ("hosts", "--limit"). */
export function evaluatePattern(pattern: string | readonly string[], scope: PatternScope, what: string, loc?: SourceLoc): Set<string> {
  const text = Array.isArray(pattern) ? pattern.join(',') : (pattern as string);
  const terms = splitPattern(text);
  if (terms.length === 0) throw userError(`${what}: empty host pattern`, loc, 'Name hosts or groups, e.g. "all", "web", "web:!web3".');
  const plain = terms.filter((t) => !t.startsWith('!') && !t.startsWith('&'));
  const ordered = [...(plain.length ? plain : ['all']), ...terms.filter((t) => t.startsWith('&')), ...terms.filter((t) => t.startsWith('!'))];
  let result = new Set<string>();
  for (const term of ordered) {
    const mod = term[0] === '!' || term[0] === '&' ? term[0] : '';
    const name = term.slice(mod.length).trim();
    let hosts: string[] | undefined;
    try {
      hosts = name === '' ? undefined : matchTerm(name, scope);
    } catch (err) {
      if (err instanceof HostRangeError) throw userError(`${what} "${text}": ${err.message}`, loc);
      throw err;
    }
    if (!hosts) {
      const s = suggest(name, [...scope.groupHosts.keys(), ...scope.hosts]);
      const detail = s ? `Did you mean "${s}"?` : `Groups: ${[...scope.groupHosts.keys()].join(', ')}.`;
      throw userError(`${what} "${text}": no host or group matches "${name}"`, loc, detail);
    }
    if (mod === '!') hosts.forEach((h) => result.delete(h));
    else if (mod === '&') result = new Set(hosts.filter((h) => result.has(h)));
    else hosts.forEach((h) => result.add(h));
  }
  return result;
}

/**
 * The hosts a play targets: its pattern, narrowed by `--limit`. A pattern
 * that names nothing or selects no host is an error; a limit that selects
 * nothing in the whole inventory is an error; but a limit that leaves a
 * play with no host just returns [] (that play is skipped, as in Ansible,
 * so `--limit web1` works with a site.yml that also has a db play).
 */
export function selectHosts(scope: PatternScope, pattern: string | readonly string[], limit?: string, loc?: SourceLoc): string[] {
  const selected = evaluatePattern(pattern, scope, 'hosts', loc);
  if (selected.size === 0) {
    throw userError(`hosts "${Array.isArray(pattern) ? pattern.join(',') : pattern}" selects no host`, loc, 'The pattern names only empty groups or excludes every host.');
  }
  let keep = selected;
  if (limit !== undefined) {
    const limited = evaluatePattern(limit, scope, '--limit');
    if (limited.size === 0) throw userError(`--limit "${limit}" selects no host`);
    keep = new Set([...selected].filter((h) => limited.has(h)));
  }
  return scope.hosts.filter((h) => keep.has(h));
}
