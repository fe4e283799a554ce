/**
 * Tokens of the expression language. Jinja-flavoured on purpose: Ansible
 * users write `a == 'x' and b is defined`, so that is what we accept.
 */
export type Token =
  | { type: 'num'; pos: number; value: number }
  | { type: 'str'; pos: number; value: string }
  | { type: 'id'; pos: number; value: string }
  | { type: 'op'; pos: number; value: string }
  | { type: 'end'; pos: number; value: '' };

export class LexError extends Error {
  constructor(
    message: string,
    readonly pos: number,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const OPERATORS = ['//', '==', '!=', '<=', '>=', '<', '>', '(', ')', '[', ']', '{', '}', ',', '.', '|', '+', '-', '*', '/', '%', '~', ':'];

/** Spellings from other languages, refused with the Jinja word to use instead. */
const FOREIGN: Array<[string, string]> = [
  ['{{', 'a condition is already an expression: remove the "{{ }}"'],
  ['&&', 'use "and"'],
  ['||', 'use "or"'],
  ['===', 'use "=="'],
  ['!==', 'use "!="'],
  ['=', 'use "==" to compare'],
  ['!', 'use "not"'],
];

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };

function readString(src: string, start: number): { value: string; end: number } {
  const quoteChar = src[start]!;
  let value = '';
  let i = start + 1;
  while (i < src.length) {
    const c = src[i]!;
    if (c === quoteChar) return { value, end: i + 1 };
    if (c === '\\' && i + 1 < src.length) {
      const next = src[i + 1]!;
      value += ESCAPES[next] ?? `\\${next}`;
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
  throw new LexError('unterminated string', start, `close it with ${quoteChar}`);
}

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^(\d+\.\d+|\d+)(?![A-Za-z_])/.exec(src.slice(i));
    if (num) {
      tokens.push({ type: 'num', pos: i, value: Number(num[1]) });
      i += num[1]!.length;
      continue;
    }
    if (c === "'" || c === '"') {
      const s = readString(src, i);
      tokens.push({ type: 'str', pos: i, value: s.value });
      i = s.end;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      tokens.push({ type: 'id', pos: i, value: id[0] });
      i += id[0].length;
      continue;
    }
    const foreign = FOREIGN.find(([f]) => src.startsWith(f, i) && !(f === '=' && src.startsWith('==', i)) && !(f === '!' && src.startsWith('!=', i)));
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (foreign && !(op && op.length >= foreign[0].length)) throw new LexError(`unexpected "${foreign[0]}"`, i, foreign[1]);
    if (!op) throw new LexError(`unexpected character "${c}"`, i);
    tokens.push({ type: 'op', pos: i, value: op });
    i += op.length;
  }
  tokens.push({ type: 'end', pos: src.length, value: '' });
  return tokens;
}
