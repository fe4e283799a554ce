/**
 * The testbed as integration tests see it: hosts booted once by
 * global-setup.ts, and helpers to act on them. Host state is read from the
 * testbed's state file, so every test worker sees the same hosts.
 */
export { cut, exec, hosts, restore, start, stop, status, type TestbedHost, type HostStatus } from '../../scripts/testbed/api.js';
