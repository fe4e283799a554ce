import { Command } from 'commander';
import { userError } from '../errors/diagnostic.js';
import { argDocs, checkBehaviour, type ArgDoc } from '../modules/docs.js';
import { allModules, getModule, moduleNames } from '../modules/registry.js';
import type { AnyModule } from '../modules/types.js';
import { EXIT } from '../runner/options.js';
import { suggest } from '../vars/did-you-mean.js';

/**
 * `rosey-apply doc [module]`: a module's arguments from its schema (the
 * same argDocs that writes docs/modules.md), or the list of modules.
 * Needs no inventory or playbook and contacts nothing.
 */
function program(): Command {
  return new Command('rosey-apply doc')
    .description('Show a module\'s arguments (name, type, required, default, aliases, description); without a module, list the modules')
    .argument('[module]', 'a module name, short or ansible.builtin.<name>, e.g. copy')
    .addHelpText('after', '\nExamples:\n  rosey-apply doc            # every module, one line each\n  rosey-apply doc template   # the template module\'s arguments\n\nThe same text for every module: docs/modules.md.')
    .showHelpAfterError()
    .exitOverride();
}

/** Markdown type text for a terminal: no backticks or table escapes. */
const plainType = (type: string): string => type.replace(/`/g, '').replace(/ \\\| /g, ' | ');

function argLines(a: ArgDoc): string[] {
  const facts = [plainType(a.type), ...(a.required ? ['required'] : []), ...(a.default !== undefined ? [`default ${a.default}`] : [])];
  const lines = [`  ${a.name} (${facts.join(', ')})`];
  if (a.aliases.length) lines.push(`      aliases: ${a.aliases.join(', ')}`);
  if (a.description) lines.push(`      ${a.description}`);
  return lines;
}

export function moduleText(m: AnyModule): string {
  const lines = [`${m.name}: ${m.description}`, ''];
  lines.push(`Runs ${m.kind === 'host' ? 'on the host' : 'on the controller'}; in --check it ${checkBehaviour(m)}.`);
  if (m.moduleAliases?.length) lines.push(`Also named: ${m.moduleAliases.join(', ')} (and ansible.builtin.<name>).`);
  if (m.freeForm) lines.push(`Free form: ${m.name}: <${m.freeForm.arg}>${m.freeForm.options?.length ? ` (${m.freeForm.options.map((o) => `${o}=`).join(', ')} words stay arguments)` : ''}.`);
  const args = argDocs(m);
  lines.push('', 'Arguments:');
  if (args) for (const a of args) lines.push(...argLines(a));
  else lines.push('  any name: value pairs');
  return lines.join('\n') + '\n';
}

export function moduleList(): string {
  const sorted = [...allModules()].sort((a, b) => a.name.localeCompare(b.name));
  const width = Math.max(...sorted.map((m) => m.name.length));
  const rows = sorted.map((m) => `  ${m.name.padEnd(width)}  ${m.description}`);
  return ['Modules (rosey-apply doc <module> for its arguments):', ...rows, ''].join('\n');
}

export function runDoc(argv: string[]): number {
  const cmd = program();
  cmd.parse(argv, { from: 'user' });
  const name = cmd.args[0];
  if (name === undefined) {
    process.stdout.write(moduleList());
    return EXIT.ok;
  }
  const m = getModule(name);
  if (!m) {
    const hint = suggest(name, moduleNames());
    throw userError(`unknown module "${name}"${hint ? `; did you mean "${hint}"?` : ''}`, undefined, '`rosey-apply doc` lists the modules.');
  }
  process.stdout.write(moduleText(m));
  return EXIT.ok;
}
