import { readFileSync, statSync } from 'node:fs';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Scalar } from 'yaml';
import { UserError, type Diagnostic, type SourceLoc } from '../errors/diagnostic.js';
import { expandedSize, resolveAlias } from './aliases.js';
import { checkFileSize, decodeUtf8, YAML_LIMITS } from './limits.js';
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

/** Keys that would change an object's prototype instead of adding a member. */
const FORBIDDEN_KEYS = new Set(['__proto__']);

class Converter {
  constructor(
    private readonly doc: Document,
    private readonly at: (offset: number) => SourceLoc,
  ) {}

  private fail(node: Node | null | undefined, summary: string, detail: string): never {
    throw new UserError({ severity: 'error', summary, detail, source: this.at(node?.range?.[0] ?? 0) });
  }

  private newPositions(node: Node): Positions {
    return { self: this.at(node.range?.[0] ?? 0), members: new Map(), keys: new Map() };
  }

  convert(node: unknown, depth: number): unknown {
    if (depth > YAML_LIMITS.maxDepth) {
      this.fail(node as Node, `nested more than ${YAML_LIMITS.maxDepth} levels deep`, 'Flatten the structure: move nested blocks into import_tasks files or roles.');
    }
    if (isAlias(node)) return this.convert(resolveAlias(node, this.doc, this.at), depth);
    if (isMap(node)) return this.map(node as unknown as Node & { items: unknown[] }, depth);
    if (isSeq(node)) {
      const out: unknown[] = [];
      const pos = this.newPositions(node as Node);
      node.items.forEach((item, i) => {
        out.push(this.convert(item, depth + 1));
        pos.members.set(i, this.at((item as Node | null)?.range?.[0] ?? 0));
      });
      positions.set(out, pos);
      return out;
    }
    if (isScalar(node) && node.value instanceof VaultText) return openVaultValue(node.value.text, this.at(node.range?.[0] ?? 0));
    if (isScalar(node)) {
      if (typeof node.value === 'string' && node.value.includes('\0')) {
        this.fail(node, 'a NUL character (\\0) is not allowed in a value', 'Paths, commands and text cannot hold NUL bytes; binary content belongs in a file given as `src`.');
      }
      return yaml11Bool(node) ?? node.value;
    }
    return node ?? null;
  }

  private map(node: Node & { items: unknown[] }, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const pos = this.newPositions(node);
    const merged: { key: string; value: unknown; loc: SourceLoc }[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      if (isScalar(pair.key) && typeof pair.key.value === 'symbol') {
        merged.push(...this.mergeSources(pair.value as Node, depth));
        continue;
      }
      const k = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (FORBIDDEN_KEYS.has(k)) this.fail(keyNode, `"${k}" is not allowed as a key`, 'Rename the key: "__proto__" would change how every value is read, not add one.');
      out[k] = this.convert(pair.value, depth + 1);
      pos.keys.set(k, this.at(keyNode?.range?.[0] ?? 0));
      const v = pair.value as Node | null;
      pos.members.set(k, this.at(v?.range?.[0] ?? keyNode?.range?.[0] ?? 0));
    }
    // `<<: *base`: keys written in the map win over merged ones, and an
    // earlier merged map wins over a later one (YAML's merge key rules)
    for (const m of merged) {
      if (Object.prototype.hasOwnProperty.call(out, m.key)) continue;
      out[m.key] = m.value;
      pos.keys.set(m.key, m.loc);
      pos.members.set(m.key, m.loc);
    }
    positions.set(out, pos);
    return out;
  }

  private mergeSources(value: Node, depth: number): { key: string; value: unknown; loc: SourceLoc }[] {
    const sources = isSeq(value) ? (value.items as Node[]) : [value];
    const out: { key: string; value: unknown; loc: SourceLoc }[] = [];
    for (const s of sources) {
      const converted = this.convert(s, depth + 1);
      if (typeof converted !== 'object' || converted === null || Array.isArray(converted)) {
        this.fail(s, 'a merge key (<<) takes a map or a list of maps', 'Write `<<: *anchor` where the anchor is a map, or `<<: [*a, *b]`.');
      }
      for (const [key, v] of Object.entries(converted)) out.push({ key, value: v, loc: locOf(converted, key) ?? this.at(s.range?.[0] ?? 0) });
    }
    return out;
  }
}

export function parseYaml(text: string, file: string): unknown {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true, merge: true, customTags: [vaultTag] });
  const at = (offset: number): SourceLoc => {
    const { line, col } = lc.linePos(offset);
    return { file, line, column: col };
  };
  const overflow = doc.errors.find((e) => /call stack/i.test(e.message));
  if (overflow) {
    throw new UserError({
      severity: 'error',
      summary: `nested too deeply to read (more than the parser's stack; the limit is ${YAML_LIMITS.maxDepth} levels)`,
      detail: 'Flatten the structure: move nested blocks into import_tasks files or roles.',
      source: at(overflow.pos[0]),
    });
  }
  if (doc.errors.length > 0) {
    const diags: Diagnostic[] = doc.errors.map((e) => ({
      severity: 'error',
      summary: `invalid YAML: ${e.message.split('\n')[0]}`,
      detail: 'Fix the YAML syntax (indentation, quoting, a missing ":" or "-").',
      source: at(e.pos[0]),
    }));
    throw new UserError(diags);
  }
  expandedSize(doc, at);
  return new Converter(doc, at).convert(doc.contents, 0);
}

export async function loadYamlFile(file: string): Promise<unknown> {
  return loadYamlFileSync(file);
}

/** Playbooks and roles load synchronously: a handful of small files, read once before the run. */
export function loadYamlFileSync(file: string): unknown {
  let buf: Buffer;
  try {
    const st = statSync(file);
    // /dev/zero or a FIFO as a vars file would be read forever
    if (!st.isFile()) throw new UserError({ severity: 'error', summary: `${file} is not a regular file`, detail: 'Name a YAML file here, not a directory or a device.', source: { file, line: 1, column: 1 } });
    checkFileSize(file, st.size);
    buf = readFileSync(file);
  } catch (err) {
    if (err instanceof UserError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError({
      severity: 'error',
      summary: code === 'ENOENT' ? `file not found: ${file}` : `cannot read ${file}: ${(err as Error).message}`,
      source: { file, line: 1, column: 1 },
    });
  }
  const text = decodeUtf8(buf, file);
  // a whole vault-encrypted file (group_vars, host_vars, vars_files): every string in it is a Secret
  if (isVaultText(text)) return secretStrings(parseYaml(openVault(text, { file, line: 1, column: 1 }).toString('utf8'), file));
  return parseYaml(text, file);
}
