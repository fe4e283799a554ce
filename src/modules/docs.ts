import type { AnyModule } from './types.js';

/**
 * The published module schema and docs/modules.md, both built from the
 * modules' TypeBox argument schemas (the same objects ajv validates with),
 * so docs, editor schema and validation cannot disagree.
 * `npm run schemas` (scripts/gen-schemas.ts) writes them; a test checks the committed copies.
 */

type JsonSchema = Record<string, unknown>;

/** A plain JSON copy: TypeBox's symbol keys dropped. */
export function plain(schema: unknown): JsonSchema {
  return JSON.parse(JSON.stringify(schema)) as JsonSchema;
}

export function moduleSchema(modules: readonly AnyModule[]): JsonSchema {
  const sorted = [...modules].sort((a, b) => a.name.localeCompare(b.name));
  const definitions = Object.fromEntries(sorted.map((m) => [m.name, plain(m.args)]));
  // a task names one module, short or ansible.builtin.; a string is the key=value (or command line) short form
  const properties: Record<string, unknown> = {};
  for (const m of sorted) {
    const ref = { anyOf: [{ $ref: `#/definitions/${m.name}` }, { type: 'string' }], description: m.description };
    for (const name of [m.name, ...(m.moduleAliases ?? [])]) {
      properties[name] = ref;
      properties[`ansible.builtin.${name}`] = ref;
    }
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'rosey/modules.schema.json',
    title: 'Rosey module arguments',
    description: 'The arguments of every Rosey module, keyed by module name (generated from src/modules; do not edit).',
    type: 'object',
    properties,
    definitions,
  };
}

export function typeOf(s: JsonSchema): string {
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  const union = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (union) return union.map(typeOf).join(' \\| ');
  if (s.type === 'array') return `list of ${typeOf((s.items as JsonSchema | undefined) ?? {})}`;
  if (typeof s.type === 'string') return s.type;
  return 'any';
}

/** One argument of a module, as both docs/modules.md and `rosey-apply doc` show it. */
export interface ArgDoc {
  name: string;
  /** Markdown: literals in backticks, alternatives joined with \| */
  type: string;
  required: boolean;
  /** JSON text of the default, when there is one */
  default?: string;
  description: string;
  /** other names the argument may be given by */
  aliases: string[];
}

/** The module's arguments from its schema; undefined for a module that takes any `name: value` pairs (set_fact). */
export function argDocs(m: AnyModule): ArgDoc[] | undefined {
  const schema = plain(m.args);
  const props = schema.properties as Record<string, JsonSchema> | undefined;
  if (!props) return undefined;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const aliases = Object.entries(m.argAliases ?? {});
  return Object.entries(props).map(([name, p]) => ({
    name,
    type: typeOf(p),
    required: required.has(name),
    ...(p.default !== undefined ? { default: JSON.stringify(p.default) } : {}),
    description: String(p.description ?? ''),
    aliases: aliases.filter(([, t]) => t === name).map(([a]) => a),
  }));
}

/** How the module behaves under --check, in words. */
export function checkBehaviour(m: AnyModule): string {
  const check = m.check ?? (m.kind === 'host' ? 'plan' : 'run');
  return check === 'plan' ? 'reads the host and reports what it would change' : check === 'run' ? 'runs as usual (it changes nothing)' : 'skipped (it acts or waits when run)';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function argsTable(m: AnyModule): string[] {
  const args = argDocs(m);
  if (!args) return ['Any `name: value` pairs.', '', String(plain(m.args).description ?? '')];
  const rows = args.map((a) => `| \`${a.name}\` | ${a.type} | ${a.required ? 'yes' : ''} | ${a.default !== undefined ? `\`${a.default}\`` : ''} | ${cell(a.description)} |`);
  return ['| Argument | Type | Required | Default | Description |', '| --- | --- | --- | --- | --- |', ...rows];
}

/** The module's other names, aliases, free form and --check behaviour, as bullet lines. */
function facts(m: AnyModule): string[] {
  const lines: string[] = [];
  if (m.moduleAliases?.length) lines.push(`- Also named: ${m.moduleAliases.map((a) => `\`${a}\``).join(', ')}.`);
  const aliases = Object.entries(m.argAliases ?? {});
  if (aliases.length) lines.push(`- Argument aliases: ${aliases.map(([a, t]) => `\`${a}\` → \`${t}\``).join(', ')}.`);
  if (m.freeForm) {
    const opts = m.freeForm.options?.length ? ` (with ${m.freeForm.options.map((o) => `\`${o}=\``).join(', ')} words as arguments)` : '';
    lines.push(`- Free form: \`${m.name}: <${m.freeForm.arg}>\`${opts}.`);
  }
  lines.push(`- In --check: ${checkBehaviour(m)}.`);
  return [...lines, ''];
}

export function moduleDocs(modules: readonly AnyModule[]): string {
  const sorted = [...modules].sort((a, b) => a.name.localeCompare(b.name));
  const out = [
    '# Rosey modules',
    '',
    '<!-- generated by `npm run schemas` from the argument schemas in src/modules; do not edit -->',
    '',
    'Every module can also be named `ansible.builtin.<name>`. Host modules read the host\'s state in one command,',
    'plan the changes, and apply only those (`--check` stops after the plan). Controller modules run on the controller',
    'and never touch a host. Unknown arguments are errors.',
    '',
    '**Modes.** `mode: 0644`, `mode: 644` and `mode: \'0644\'` all mean 0644: Rosey reads YAML 1.2, where a leading 0 does',
    'not make a number octal, so a number\'s digits are read as octal digits (a number with an 8 or 9 is refused).',
    '`0o644` is read by YAML as 420 and so would mean 0420: do not use it. Symbolic modes (`u=rw,g=r,o=`, `u+x`) work too.',
    '',
    ...sorted.map((m) => `- [${m.name}](#${m.name}): ${m.description}`),
    '',
  ];
  for (const m of sorted) {
    out.push(`## ${m.name}`, '', `${m.description} (${m.kind === 'host' ? 'runs on the host' : 'runs on the controller'})`, '');
    out.push(...facts(m), ...argsTable(m), '');
  }
  return out.join('\n');
}
