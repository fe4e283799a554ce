/** What lineinfile wants of a text: pure, so every case is a unit test. */
export interface LineEdit {
  state: 'present' | 'absent';
  line?: string;
  regexp?: RegExp;
  /** 'EOF', or a pattern after whose last (or first) match the line goes */
  insertafter?: 'EOF' | RegExp;
  /** 'BOF', or a pattern before whose last (or first) match the line goes */
  insertbefore?: 'BOF' | RegExp;
  firstmatch: boolean;
  /** the line holds \1 or \g<name> references to regexp's groups; no match = no change */
  backrefs: boolean;
}

/** Split a text into lines, remembering whether it ended with a newline. */
function split(text: string): { lines: string[]; eol: boolean } {
  if (text === '') return { lines: [], eol: false };
  const eol = text.endsWith('\n');
  const lines = (eol ? text.slice(0, -1) : text).split('\n');
  return { lines, eol };
}

function join(lines: string[], eol: boolean): string {
  return lines.length === 0 ? '' : lines.join('\n') + (eol ? '\n' : '');
}

function matchIndex(lines: string[], re: RegExp, first: boolean): number {
  if (first) return lines.findIndex((l) => re.test(l));
  for (let i = lines.length - 1; i >= 0; i--) if (re.test(lines[i]!)) return i;
  return -1;
}

/** The text after the edit; the same string when nothing changes. */
export function editLines(text: string, e: LineEdit): string {
  const { lines, eol } = split(text);
  if (e.state === 'absent') {
    const gone = (l: string): boolean => (e.regexp ? e.regexp.test(l) : l === e.line);
    const keep = lines.filter((l) => !gone(l));
    if (keep.length === lines.length) return text;
    // every kept line but the old last one had its newline; the old last keeps what it had
    return join(keep, eol || gone(lines[lines.length - 1]!));
  }
  const line = e.line!;
  if (e.regexp) {
    const i = matchIndex(lines, e.regexp, e.firstmatch);
    if (i >= 0) {
      const next = e.backrefs ? expand(line, e.regexp.exec(lines[i]!)!) : line;
      if (lines[i] === next) return text;
      const out = [...lines];
      out[i] = next;
      return join(out, eol);
    }
    if (e.backrefs) return text;
  }
  if (lines.includes(line)) return text;
  const at = insertAt(lines, e);
  const out = [...lines.slice(0, at), line, ...lines.slice(at)];
  // a line added at the end always ends with a newline, even when the text did not
  return join(out, eol || at === lines.length);
}

function insertAt(lines: string[], e: LineEdit): number {
  if (e.insertbefore !== undefined) {
    if (e.insertbefore === 'BOF') return 0;
    const i = matchIndex(lines, e.insertbefore, e.firstmatch);
    return i >= 0 ? i : lines.length;
  }
  if (e.insertafter !== undefined && e.insertafter !== 'EOF') {
    const i = matchIndex(lines, e.insertafter, e.firstmatch);
    return i >= 0 ? i + 1 : lines.length;
  }
  return lines.length;
}

/** Fill `\1` and `\g<name>` (Python's re.expand, as Ansible users write them) from a match. */
function expand(template: string, m: RegExpExecArray): string {
  return template.replace(/\\(\d+)|\\g<(\w+)>/g, (_all, num: string | undefined, name: string | undefined) => {
    if (num !== undefined) return m[Number(num)] ?? '';
    return (/^\d+$/.test(name!) ? m[Number(name)] : m.groups?.[name!]) ?? '';
  });
}

/**
 * A Python-style pattern (as written for Ansible) as a JS RegExp: named groups
 * `(?P<n>...)` and `(?P=n)` become `(?<n>...)` and `\k<n>`. Matching is a
 * search anywhere in the line, as Python's re.search. No `u` flag: it would
 * refuse escapes Python accepts, such as `\-`.
 */
export function pyRegExp(pattern: string): RegExp {
  return new RegExp(pattern.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>'));
}
