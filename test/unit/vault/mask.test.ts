import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { maskDeep, maskingReporter } from '../../../src/report/mask.js';
import { PlainReporter } from '../../../src/report/plain.js';
import type { RunEvent } from '../../../src/runner/events.js';
import { maskText, Secret } from '../../../src/shared/secret.js';
import { LocalConnection, localSpec } from '../../../src/transport/local.js';
import { raw, sh } from '../../../src/transport/quote.js';
import { BOOTSTRAP_COMMAND, invocation } from '../../../src/transport/become.js';

const VALUE = 'Mask-Me-7f3a"\\x';
new Secret(VALUE);

function sink(): { out: Writable; text: () => string } {
  let text = '';
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { out, text: () => text };
}

describe('secret values are masked wherever they end up as text', () => {
  it('in plain text, JSON-escaped text, and line by line for a multi-line secret', () => {
    expect(maskText(`password=${VALUE};`)).toBe('password=********;');
    expect(maskText(JSON.stringify({ p: `a ${VALUE}` }))).toBe('{"p":"a ********"}');
    new Secret('-----BEGIN KEY-----\nAAAABBBBCCCC\n-----END KEY-----');
    expect(maskText('key:\n  AAAABBBBCCCC\n')).toBe('key:\n  ********\n');
  });

  it('short values are not searched for in text (they would mask every word)', () => {
    new Secret('abc');
    expect(maskText('abcdef')).toBe('abcdef');
  });

  it('maskDeep copies plain data, leaves the original and class instances alone', () => {
    const s = new Secret('other-secret');
    const rec = { hosts: [{ msg: `failed: ${VALUE}`, secret: s }] };
    const masked = maskDeep(rec);
    expect(masked.hosts[0]!.msg).toBe('failed: ********');
    expect(masked.hosts[0]!.secret).toBe(s);
    expect(rec.hosts[0]!.msg).toContain(VALUE);
  });

  it('--diff of a template line that holds a secret shows ******** on that line only', async () => {
    const { out, text } = sink();
    const reporter = maskingReporter(new PlainReporter(out));
    const e: RunEvent = {
      kind: 'host-result',
      host: 'web1',
      diff: true,
      check: false,
      task: { title: 'template', module: 'template', loc: { file: 'site.yml', line: 3, column: 7 }, noLog: false, handler: false },
      result: {
        status: 'changed',
        output: {},
        changes: [{ action: 'update', summary: 'update /etc/app.conf', path: '/etc/app.conf', content: { before: 'port=1\npassword=old\n', after: `port=2\npassword=${VALUE}\n` }, data: {} }],
      },
    };
    reporter.event(e);
    // diffs print grouped once the task is over
    await reporter.close();
    expect(text()).not.toContain(VALUE);
    expect(text()).toMatch(/^\+password=\*{8}$/m);
    expect(text()).toMatch(/^\+port=2$/m);
  });
});

describe('a command holding a secret travels on stdin, not on the command line', () => {
  it('the exec line is the fixed reader; the script follows on stdin, ahead of the command\'s own input', () => {
    const cmd = sh`printf %s ${VALUE}`;
    expect(BOOTSTRAP_COMMAND).not.toContain(VALUE);
    expect(invocation(cmd, undefined).prelude).toBe(`1\n${cmd.text}\n`);
    expect(invocation(cmd, { user: 'root' }).display).not.toContain(VALUE);
  });

  it('runs the same: output, exit status, and the command\'s stdin intact', async () => {
    const conn = new LocalConnection(localSpec());
    const r = await conn.exec(sh`printf '%s|' ${VALUE}; cat; exit 3`, { stdin: 'line1\nline2\n' });
    expect(r).toEqual({ rc: 3, stdout: `${VALUE}|line1\nline2\n`, stderr: '' });
    const seen = await conn.exec(raw(`ps -eo args | grep -c -F 'Mask-Me' ; : 'Mask-Me-7f3a"\\x'`));
    // only the grep itself may name it; the shell running the script does not
    expect(Number(seen.stdout.trim())).toBeLessThanOrEqual(1);
  });
});
