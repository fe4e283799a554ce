import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { STATE_DIR, STATE_FILE } from './config.js';

export interface HostState {
  name: string;
  address: string;
  index: number;
  /** systemd-nspawn's PID (started with setsid), absent while stopped */
  pid?: number;
}

/** What `up` made, written as it goes so `down` can undo a half-finished `up`. */
export interface TestbedState {
  image: string;
  /** light hosts (sshd without systemd); absent for full hosts */
  light?: boolean;
  publicKey: string;
  hosts: HostState[];
}

export function readState(): TestbedState | undefined {
  if (!existsSync(STATE_FILE)) return undefined;
  try {
    return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as TestbedState;
  } catch {
    return undefined;
  }
}

export function writeState(state: TestbedState): void {
  mkdirSync(STATE_DIR, { recursive: true });
  const tmp = `${STATE_FILE}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n');
  renameSync(tmp, STATE_FILE);
}

export function clearState(): void {
  rmSync(STATE_FILE, { force: true });
}
