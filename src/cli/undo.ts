import type { RoseyEnv } from './env.js';
import { EXIT } from './options.js';

/** `rosey-apply undo <run-id>`: restore every file a run replaced, from its backups. */
export async function runUndo(argv: string[], env: RoseyEnv): Promise<number> {
  void argv;
  void env;
  process.stderr.write('rosey-apply undo: not implemented yet\n');
  return EXIT.usage;
}
