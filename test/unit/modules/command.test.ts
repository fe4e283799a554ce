import { describe, expect, it } from 'vitest';
import { command } from '../../../src/modules/commands/command.js';
import { shell } from '../../../src/modules/commands/shell.js';
import { splitCommand } from '../../../src/modules/commands/words.js';
import type { RunFacts, RunSpec } from '../../../src/modules/commands/run.js';
import { applyAll, newRunId, planTask } from './harness.js';

const prep = (args: Parameters<typeof command.prepare & object>[0]): RunSpec => command.prepare!(args, undefined as never) as RunSpec;
const prepShell = (args: Parameters<typeof shell.prepare & object>[0]): RunSpec => shell.prepare!(args, undefined as never) as RunSpec;

describe('command and shell plan', () => {
  it('plans one run change with the command for people; unguarded, it cannot be predicted', () => {
    const spec = prep({ cmd: "echo 'a b' $HOME" });
    expect(command.facts(spec)).toBeUndefined();
    expect(command.plan(undefined as unknown as RunFacts, spec)).toEqual([
      { action: 'run', summary: "run: echo 'a b' '$HOME'", unknowable: true, data: { cmd: spec.cmd, stdin: undefined } },
    ]);
    // with creates, a run that is planned is a prediction --check can make
    const guarded = prep({ cmd: 'make', creates: '/nonexistent/out' });
    expect(command.plan({ creates: false }, guarded)[0]!.unknowable).toBeUndefined();
  });

  it('skips when creates exists, runs when it does not', () => {
    const spec = prep({ argv: ['make'], creates: '/opt/app/built' });
    expect(command.plan({ creates: true }, spec)).toEqual([]);
    expect(command.plan({ creates: false }, spec)).toHaveLength(1);
  });

  it('skips when removes is absent, runs when it exists', () => {
    const spec = prep({ argv: ['rm', '/tmp/flag'], removes: '/tmp/flag' });
    expect(command.plan({ removes: false }, spec)).toEqual([]);
    expect(command.plan({ removes: true }, spec)).toHaveLength(1);
  });

  it('reads relative creates/removes from chdir, and changes into it', () => {
    const spec = prep({ cmd: 'make', chdir: '/src/app', creates: 'out/bin' });
    expect(spec.creates).toBe('/src/app/out/bin');
    expect(spec.cmd.text).toBe('cd -- /src/app && make');
  });

  it('gathers creates and removes in one command', () => {
    const fact = command.facts(prep({ argv: ['x'], creates: '/a b', removes: "/c'd" }))!;
    expect(fact.command.text).toContain("'/a b'");
    expect(fact.parse('exists=1\n\n--rosey-fact-boundary--\nexists=0\n\n--rosey-fact-boundary--\n')).toEqual({ creates: true, removes: false });
  });

  it('argv words are quoted one by one, hostile ones included', () => {
    expect(prep({ argv: ['mysql', '-p', "pa ss;rm -rf / $(x) `y` 'z'"] }).cmd.text).toBe(`mysql -p 'pa ss;rm -rf / $(x) \`y\` '\\''z'\\'''`);
  });

  it('shell runs the text as written, or with another executable', () => {
    expect(prepShell({ cmd: 'a | b > c' }).cmd.text).toBe('{ a | b > c\n}');
    expect(prepShell({ cmd: 'echo $0', executable: '/bin/bash' }).cmd.text).toBe("/bin/bash -c 'echo $0'");
  });

  it('splits command lines like shlex', () => {
    expect(splitCommand(`a "b c" 'd e' f\\ g "h\\"i" ''`)).toEqual(['a', 'b c', 'd e', 'f g', 'h"i', '']);
    expect(() => splitCommand('a "b')).toThrow(/unbalanced/);
    expect(() => prep({})).toThrow(/exactly one/);
  });
});

describe('command and shell apply', () => {
  it('returns rc, stdout and stderr without the final newline, failed when rc != 0', async () => {
    const { changes } = await planTask(shell, { cmd: 'echo out; echo err >&2; exit 3' });
    expect(await applyAll(shell, changes, newRunId())).toEqual([{ rc: 3, stdout: 'out', stderr: 'err', failed: true, msg: 'non-zero return code 3' }]);
  });

  it("passes hostile argv values through untouched ('$;|&)", async () => {
    const hostile = `it's $HOME; rm -rf / | cat & \`id\` "q"\nline2`;
    const { changes } = await planTask(command, { argv: ['printf', '%s', hostile] });
    const [out] = await applyAll(command, changes, newRunId());
    expect(out).toMatchObject({ rc: 0, stdout: hostile, failed: false });
  });

  it('command does not expand shell syntax in cmd; stdin reaches the program', async () => {
    const { changes } = await planTask(command, { cmd: 'echo $HOME > x', stdin: 'ignored' });
    expect((await applyAll(command, changes, newRunId()))[0]!.stdout).toBe('$HOME > x');
    const cat = await planTask(command, { argv: ['cat'], stdin: 'fed\n' });
    expect((await applyAll(command, cat.changes, newRunId()))[0]!.stdout).toBe('fed');
  });
});
