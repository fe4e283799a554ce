import { readFileSync } from 'node:fs';
import { extname, isAbsolute, resolve } from 'node:path';
import { UserError } from '../errors/diagnostic.js';
import { parseYaml } from '../yaml/source.js';
import { isPlainObject } from './plain-data.js';

/**
 * `-e` / `--extra-vars`, the highest precedence. Each argument is one of:
 *   `k=v k2="two words"`  string values, split like a shell would
 *   `{"k": 1}`             JSON (or YAML flow) map, types kept
 *   `@vars.yml`, `@vars.json`  a file of variables, relative to `cwd`
 * Later arguments replace earlier ones name by name.
 */
type Vars = Record<string, unknown>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function argError(arg: string, index: number, summary: string, detail?: string): UserError {
  const source = { file: `-e argument ${index + 1}`, line: 1, column: 1 };
  return new UserError({ severity: 'error', summary: `-e ${JSON.stringify(arg)}: ${summary}`, detail, source });
}

/** Split `a=1 b="x y" c='z'` into words, honouring quotes and backslashes. */
function shellWords(text: string): string[] | undefined {
  const words: string[] = [];
  let cur: string | undefined;
  let q: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (q) {
      if (c === q) q = undefined;
      else if (c === '\\' && q === '"' && i + 1 < text.length) cur += text[++i]!;
      else cur += c;
    } else if (/\s/.test(c)) {
      if (cur !== undefined) words.push(cur);
      cur = undefined;
    } else if (c === '"' || c === "'") {
      q = c;
      cur ??= '';
    } else if (c === '\\' && i + 1 < text.length) {
      cur = (cur ?? '') + text[++i]!;
    } else {
      cur = (cur ?? '') + c;
    }
  }
  if (q) return undefined;
  if (cur !== undefined) words.push(cur);
  return words;
}

function fromPairs(arg: string, index: number): Vars {
  const words = shellWords(arg);
  if (!words) throw argError(arg, index, 'unclosed quote');
  const out: Vars = {};
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq <= 0) throw argError(arg, index, `"${w}" is not name=value`, 'Write -e name=value, -e \'{"name": 1}\' or -e @file.yml.');
    const name = w.slice(0, eq);
    if (!NAME.test(name)) throw argError(arg, index, `"${name}" is not a valid variable name`, 'Names are letters, digits and _, and do not start with a digit.');
    out[name] = w.slice(eq + 1);
  }
  return out;
}

function fromFile(arg: string, index: number, cwd: string): Vars {
  const rel = arg.slice(1);
  if (rel === '') throw argError(arg, index, 'no file after "@"');
  const file = isAbsolute(rel) ? rel : resolve(cwd, rel);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw argError(arg, index, `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let value: unknown;
  if (extname(file) === '.json') {
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw argError(arg, index, `invalid JSON in ${file}: ${(err as Error).message}`);
    }
  } else {
    value = parseYaml(text, rel);
  }
  if (value === null) return {};
  if (!isPlainObject(value)) throw argError(arg, index, `${rel} must hold a map of variables`);
  return value;
}

function fromInline(arg: string, index: number): Vars {
  let value: unknown;
  try {
    value = parseYaml(arg, `-e argument ${index + 1}`);
  } catch (err) {
    if (err instanceof UserError) throw argError(arg, index, err.diagnostics[0]?.summary ?? 'invalid JSON');
    throw err;
  }
  if (!isPlainObject(value)) throw argError(arg, index, 'must be a map');
  return value;
}

export function parseExtraVars(args: readonly string[], cwd: string): Vars {
  const out: Vars = {};
  args.forEach((arg, index) => {
    const text = arg.trim();
    if (text === '') throw argError(arg, index, 'empty');
    const vars = text.startsWith('@') ? fromFile(text, index, cwd) : text.startsWith('{') ? fromInline(text, index) : fromPairs(text, index);
    for (const [k, v] of Object.entries(vars)) {
      if (!NAME.test(k)) throw argError(arg, index, `"${k}" is not a valid variable name`);
      out[k] = v;
    }
  });
  return out;
}
