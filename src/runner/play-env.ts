import type { Connection } from '../transport/connection.js';
import type { Reporter } from './events.js';
import type { HostState } from './host-state.js';
import type { RunOptions } from './options.js';
import type { Connections } from './connections.js';

/** What every step of a play gets from the run (its own file so gather and play need not import each other). */
export interface PlayEnv {
  runId: string;
  options: RunOptions;
  reporter: Reporter;
  connection(host: HostState): Promise<Connection>;
  /** the run's connections: reconnect after a drop, the controller for delegate_to */
  connections: Connections;
}
