import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Connections } from '../../../src/runner/connections.js';
import { UnreachableError, type Connection, type ConnectionSpec } from '../../../src/transport/connection.js';
import { FakeHosts, HOSTS3, project } from './fake-host.js';
import { runPlay } from './run-play.js';

const spec = (name: string, kind: 'ssh' | 'local' = 'ssh'): ConnectionSpec =>
  ({ kind, name, address: '192.0.2.1', port: 22, user: 'deploy', hostKeyChecking: true, connectTimeoutMs: 1000 }) as ConnectionSpec;

/** Connections over an in-memory connect that counts opens and closes. */
function counted(fail: string[] = []) {
  const opened: string[] = [];
  const closed: string[] = [];
  const connect = async (s: ConnectionSpec): Promise<Connection> => {
    opened.push(s.name);
    if (fail.includes(s.name)) throw new UnreachableError(s.name, `${s.name}: refused (fake)`);
    return { spec: s, exec: async () => ({ rc: 0, stdout: '', stderr: '' }), close: async () => void closed.push(s.name) };
  };
  return { conns: new Connections(connect, { attempts: 0, firstDelayMs: 0 }), opened, closed };
}

describe('connections opened ahead of a host’s first task', () => {
  it('start at once, are handed to the first task that asks, and count as the host’s only then', async () => {
    const { conns, opened, closed } = counted();
    conns.prefetch([spec('a'), spec('b'), spec('l', 'local')]);
    // before anyone asked: both ssh hosts are connecting, the local one is not
    expect(opened).toEqual(['a', 'b']);
    const a = await conns.get(spec('a'));
    expect(a.spec.name).toBe('a');
    expect(opened).toEqual(['a', 'b']);
    // b was never asked for: not reached (no lock, no record), but closed at the end
    expect([...(await conns.live()).keys()]).toEqual(['a']);
    await conns.closeAll();
    expect(closed.sort()).toEqual(['a', 'b']);
  });

  it('a host that cannot be reached fails where it did, at its first task, with the same error', async () => {
    const { conns, opened } = counted(['down']);
    conns.prefetch([spec('down')]);
    await expect(conns.get(spec('down'))).rejects.toThrow('down: refused (fake)');
    expect(opened).toEqual(['down']);
  });

  it('a play that sends nothing to its hosts connects to none of them', async () => {
    const dir = project({
      'hosts.yml': HOSTS3,
      'local.yml': [
        '- hosts: all',
        '  gather_facts: false',
        '  tasks:',
        '    - {name: say, debug: {msg: hi}}',
        '    - {name: remember, set_fact: {x: 1}}',
        '    - {name: on the controller, command: "true", delegate_to: localhost}',
        '    - block:',
        '        - {name: nested, debug: {msg: "{{ x }}"}}',
      ].join('\n'),
      'remote.yml': ['- hosts: all', '  gather_facts: false', '  tasks:', '    - {name: say, debug: {msg: hi}}', '    - block:', '        - {name: on the host, command: ok}'].join('\n'),
    });
    const local = new FakeHosts();
    const seen: string[] = [];
    const r = await runPlay(join(dir, 'local.yml'), join(dir, 'hosts.yml'), [], async (s) => {
      seen.push(s.name);
      return local.connect(s);
    });
    expect(r.rc).toBe(0);
    expect(seen).toEqual([]);
    const remote = new FakeHosts();
    const r2 = await runPlay(join(dir, 'remote.yml'), join(dir, 'hosts.yml'), ['-f', '2'], async (s) => {
      seen.push(s.name);
      return remote.connect(s);
    });
    expect(r2.rc).toBe(0);
    // each host once: the two opened ahead (forks 2) were used, not opened again
    expect(seen.sort()).toEqual(['h1', 'h2', 'h3']);
    expect(remote.commands('h3')).toEqual(['ok']);
  });
});
