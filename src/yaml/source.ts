import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Scalar } from 'yaml';
import { UserError, type Diagnostic, type SourceLoc } from '../errors/diagnostic.js';
import { isVaultText } from '../vault/envelope.js';
import { openVault, openVaultValue } from '../vault/keyring.js';
import { secretStrings, vaultTag, VaultText } from '../vault/yaml-tag.js';

/**
 * YAML with source positions. Parsed values are plain JS (objects, arrays,
 * scalars); a side table remembers where each object or array, and each of
 * their members, came from, so any layer can point an error at file:line:col
 * without carrying YAML nodes around.
 */
interface Positions {
  self: SourceLoc;
  members: Map<string | number, SourceLoc>;
  /** where each map key itself is written (for "unknown key" errors) */
  keys: Map<string, SourceLoc>;
}

const positions = new WeakMap<object, Positions>();

/** Where `obj` (or its member `key`) was written; undefined for values not from YAML. */
export function locOf(obj: unknown, key?: string | number): SourceLoc | undefined {
  if (typeof obj !== 'object' || obj === null) return undefined;
  const p = positions.get(obj);
  if (!p) return undefined;
  if (key === undefined) return p.self;
  return p.members.get(key) ?? p.self;
}

/** Where the key `key` of a map is written (its name, not its value). */
export function keyLocOf(obj: unknown, key: string): SourceLoc | undefined {
  if (typeof obj !== 'object' || obj === null) return undefined;
  const p = positions.get(obj);
  return p?.keys.get(key) ?? p?.self;
}

/** Record a position for a value built in code (e.g. a task synthesised from a shorthand). */
export function setLoc(obj: object, loc: SourceLoc): void {
  if (!positions.has(obj)) positions.set(obj, { self: loc, members: new Map(), keys: new Map() });
}

/**
 * Ansible reads YAML 1.1, where an unquoted yes/no/on/off is a boolean, and
 * playbooks everywhere say `become: yes`. YAML 1.2 (this parser) reads them
 * as strings, so they are turned into booleans here: only when unquoted, and
 * only these words (1.2's numbers stay, so `mode: 0644` is not octal 420).
 */
const YAML11_TRUE = /^(?:yes|Yes|YES|on|On|ON)$/;
const YAML11_FALSE = /^(?:no|No|NO|off|Off|OFF)$/;

function yaml11Bool(node: Scalar): boolean | undefined {
  if (node.type !== 'PLAIN' || typeof node.value !== 'string') return undefined;
  if (YAML11_TRUE.test(node.value)) return true;
  if (YAML11_FALSE.test(node.value)) return false;
  return undefined;
}

export function parseYaml(text: string, file: string): unknown {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true, merge: true, customTags: [vaultTag] });
  const at = (offset: number): SourceLoc => {
    const { line, col } = lc.linePos(offset);
    return { file, line, column: col };
  };
  if (doc.errors.length > 0) {
    const diags: Diagnostic[] = doc.errors.map((e) => ({
      severity: 'error',
      summary: `invalid YAML: ${e.message.split('\n')[0]}`,
      detail: 'Fix the YAML syntax (indentation, quoting, a missing ":" or "-").',
      source: at(e.pos[0]),
    }));
    throw new UserError(diags);
  }
  const convert = (node: unknown): unknown => {
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const pos: Positions = { self: at((node as Node).range?.[0] ?? 0), members: new Map(), keys: new Map() };
      for (const pair of node.items) {
        const k = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        out[k] = convert(pair.value);
        const keyNode = pair.key as Node | null;
        pos.keys.set(k, at(keyNode?.range?.[0] ?? 0));
        const v = pair.value as Node | null;
        pos.members.set(k, at(v?.range?.[0] ?? keyNode?.range?.[0] ?? 0));
      }
      positions.set(out, pos);
      return out;
    }
    if (isSeq(node)) {
      const out: unknown[] = [];
      const pos: Positions = { self: at((node as Node).range?.[0] ?? 0), members: new Map(), keys: new Map() };
      node.items.forEach((item, i) => {
        out.push(convert(item));
        pos.members.set(i, at((item as Node | null)?.range?.[0] ?? 0));
      });
      positions.set(out, pos);
      return out;
    }
    if (isScalar(node) && node.value instanceof VaultText) return openVaultValue(node.value.text, at((node as Node).range?.[0] ?? 0));
    if (isScalar(node)) return yaml11Bool(node) ?? node.value;
    return node ?? null;
  };
  return convert(doc.contents);
}

export async function loadYamlFile(file: string): Promise<unknown> {
  return loadYamlFileSync(file);
}

/** Playbooks and roles load synchronously: a handful of small files, read once before the run. */
export function loadYamlFileSync(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError({
      severity: 'error',
      summary: code === 'ENOENT' ? `file not found: ${file}` : `cannot read ${file}: ${(err as Error).message}`,
      source: { file, line: 1, column: 1 },
    });
  }
  // a whole vault-encrypted file (group_vars, host_vars, vars_files): every string in it is a Secret
  if (isVaultText(text)) return secretStrings(parseYaml(openVault(text, { file, line: 1, column: 1 }).toString('utf8'), file));
  return parseYaml(text, file);
}
