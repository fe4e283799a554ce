import { spawn } from 'node:child_process';
import { BOOTSTRAP, invocation, stdinFor } from '../../../src/transport/become.js';
import { raw } from '../../../src/transport/quote.js';
import { SHELL_SERVER, ShellSession } from '../../../src/transport/shell-session.js';

/**
 * A session on the real /bin/sh (dash on Debian), started the way a host
 * starts it: the bootstrap reads the server script from stdin. `server`
 * replaces the server script, to play a shell that never starts.
 */
export function localSession(server: string = SHELL_SERVER): ShellSession {
  const child = spawn('/bin/sh', ['-c', BOOTSTRAP], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.on('error', () => undefined);
  return new ShellSession(
    {
      write: (b) => void child.stdin.write(b),
      onStdout: (fn) => void child.stdout.on('data', fn),
      onStderr: (fn) => void child.stderr.on('data', fn),
      onClose: (fn) => void child.on('close', fn),
      end: () => void child.stdin.end(),
    },
    stdinFor(invocation(raw(server), undefined), undefined),
  );
}
