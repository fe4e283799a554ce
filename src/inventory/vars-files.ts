import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Diagnostic } from '../errors/diagnostic.js';
import { UserError } from '../errors/diagnostic.js';
import { isPlainObject } from '../vars/plain-data.js';
import { keyLocOf, loadYamlFileSync, locOf } from '../yaml/source.js';
import type { VarsFile } from './types.js';

/**
 * `group_vars/` and `host_vars/` beside the hosts file. For a name `web`:
 * the file `web.yml` (or `.yaml`, `.json`, or no extension), then every
 * file under the directory `web/`, in lexical order of their paths; later
 * files win. Editor backups and hidden files are skipped.
 */
const EXTENSIONS = new Set(['.yml', '.yaml', '.json', '']);
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function skipped(name: string): boolean {
  return name.startsWith('.') || name.endsWith('~') || name.endsWith('.swp') || name.endsWith('.bak') || name.endsWith('.orig');
}

function loadOne(file: string, diags: Diagnostic[]): VarsFile | undefined {
  let value: unknown;
  try {
    value = loadYamlFileSync(file);
  } catch (err) {
    if (err instanceof UserError) {
      diags.push(...err.diagnostics);
      return undefined;
    }
    throw err;
  }
  if (value === null || value === undefined) return { file, vars: {} };
  if (!isPlainObject(value)) {
    diags.push({ severity: 'error', summary: `a variables file must hold a map (name: value), not a ${Array.isArray(value) ? 'list' : typeof value}`, source: locOf(value) ?? { file, line: 1, column: 1 } });
    return undefined;
  }
  for (const k of Object.keys(value)) {
    if (!VAR_NAME.test(k)) diags.push({ severity: 'error', summary: `invalid variable name "${k}"`, detail: 'Variable names are letters, digits and _, and do not start with a digit.', source: keyLocOf(value, k) });
  }
  return { file, vars: value };
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (skipped(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else if (EXTENSIONS.has(extname(name)) && extname(name) !== '') out.push(path);
  }
  return out;
}

/** Every entity's variables files under `dir` (a missing dir is simply empty). */
export function loadVarsDir(dir: string, diags: Diagnostic[]): Map<string, VarsFile[]> {
  const found = new Map<string, VarsFile[]>();
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return found;
  }
  const add = (entity: string, file: string): void => {
    const loaded = loadOne(file, diags);
    if (!loaded) return;
    const list = found.get(entity) ?? [];
    list.push(loaded);
    found.set(entity, list);
  };
  // file form first, then directory form, so that a directory's files win
  for (const name of names) {
    const path = join(dir, name);
    if (skipped(name) || statSync(path).isDirectory()) continue;
    // `web1.example.com` (no extension) names the host web1.example.com
    const ext = extname(name);
    add(EXTENSIONS.has(ext) && ext ? name.slice(0, -ext.length) : name, path);
  }
  for (const name of names) {
    const path = join(dir, name);
    if (!skipped(name) && statSync(path).isDirectory()) for (const f of filesUnder(path)) add(name, f);
  }
  return found;
}
