import type { Diagnostic, SourceLoc } from '../errors/diagnostic.js';
import { suggest } from '../vars/did-you-mean.js';
import { isPlainObject } from '../vars/plain-data.js';
import { keyLocOf, locOf } from '../yaml/source.js';
import { expandHostRange, HostRangeError } from './host-range.js';
import type { InventoryGroup, InventoryHost, Vars } from './types.js';

/**
 * The hosts file, Ansible's YAML inventory format:
 *
 *     all:
 *       vars: {...}
 *       hosts: { web1: {...vars}, web2: }
 *       children: { web: { hosts: ..., children: ..., vars: ... } }
 *
 * A group or host may be written in several places; its memberships and
 * variables add up. Mistakes are collected (not thrown one by one) so a
 * file with three mistakes reports three.
 */
export interface ParsedHosts {
  hosts: Map<string, InventoryHost>;
  groups: Map<string, InventoryGroup>;
  /** where each parent → child edge is written, for cycle errors */
  edgeLocs: Map<string, SourceLoc>;
}

const GROUP_KEYS = ['hosts', 'children', 'vars'];
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const BAD_GROUP_CHARS = /[\s:,!&*?[\]~@]/;

class HostsParser {
  readonly out: ParsedHosts = { hosts: new Map(), groups: new Map(), edgeLocs: new Map() };
  constructor(
    private readonly file: string,
    private readonly diags: Diagnostic[],
  ) {}

  private error(summary: string, source: SourceLoc | undefined, detail?: string): void {
    this.diags.push({ severity: 'error', summary, detail, source: source ?? { file: this.file, line: 1, column: 1 } });
  }

  group(name: string, loc: SourceLoc | undefined): InventoryGroup {
    let g = this.out.groups.get(name);
    if (!g) {
      g = { name, source: loc, hosts: [], children: [], parents: [], depth: 0, varMaps: [] };
      this.out.groups.set(name, g);
    }
    g.source ??= loc;
    return g;
  }

  /** A `vars:` map (or a host's map): every key a usable variable name. */
  checkVars(vars: unknown, owner: Vars, key: string, what: string): vars is Vars {
    if (vars === null || vars === undefined) return false;
    if (!isPlainObject(vars)) {
      this.error(`${what} must be a map of variables (name: value), not a ${Array.isArray(vars) ? 'list' : typeof vars}`, locOf(owner, key));
      return false;
    }
    for (const k of Object.keys(vars)) {
      if (!VAR_NAME.test(k)) this.error(`invalid variable name "${k}" in ${what}`, keyLocOf(vars, k), 'Variable names are letters, digits and _, and do not start with a digit (templates and expressions cannot refer to others).');
    }
    return true;
  }

  parseGroup(name: string, body: unknown, owner: Vars, parent: string | undefined): void {
    const loc = keyLocOf(owner, name);
    if (BAD_GROUP_CHARS.test(name)) {
      this.error(`invalid group name "${name}"`, loc, 'Group names cannot contain spaces or the host-pattern characters : , ! & * ? [ ] ~ @.');
      return;
    }
    const g = this.group(name, loc);
    if (parent !== undefined) this.link(parent, name, loc);
    if (body === null || body === undefined) return;
    if (!isPlainObject(body)) {
      this.error(`group "${name}" must be a map with hosts:, children: or vars:, not a ${Array.isArray(body) ? 'list' : typeof body}`, locOf(owner, name));
      return;
    }
    for (const key of Object.keys(body)) {
      if (GROUP_KEYS.includes(key)) continue;
      const s = suggest(key, GROUP_KEYS);
      this.error(`unknown key "${key}" in group "${name}"`, keyLocOf(body, key), s ? `Did you mean "${s}"?` : 'A group has hosts:, children: and vars:.');
    }
    if (this.checkVars(body.vars, body, 'vars', `vars of group "${name}"`)) g.varMaps.push(body.vars);
    this.parseHosts(g, body);
    this.parseChildren(g, body);
  }

  private link(parent: string, child: string, loc: SourceLoc | undefined): void {
    const p = this.group(parent, undefined);
    const c = this.group(child, loc);
    if (!p.children.includes(child)) p.children.push(child);
    if (!c.parents.includes(parent)) c.parents.push(parent);
    if (loc && !this.out.edgeLocs.has(`${parent}>${child}`)) this.out.edgeLocs.set(`${parent}>${child}`, loc);
  }

  private parseHosts(g: InventoryGroup, body: Vars): void {
    const hosts = body.hosts;
    if (hosts === null || hosts === undefined) return;
    if (!isPlainObject(hosts)) {
      const detail = Array.isArray(hosts) ? 'Write each host as a key: "hosts:\\n  web1:\\n  web2:" (a colon after each name), not a "- web1" list.' : undefined;
      this.error(`"hosts" of group "${g.name}" must be a map of host names, not a ${Array.isArray(hosts) ? 'list' : typeof hosts}`, locOf(body, 'hosts'), detail);
      return;
    }
    for (const [pattern, vars] of Object.entries(hosts)) {
      const loc = keyLocOf(hosts, pattern) ?? { file: this.file, line: 1, column: 1 };
      let names: string[];
      try {
        names = expandHostRange(pattern);
      } catch (err) {
        if (!(err instanceof HostRangeError)) throw err;
        this.error(`bad host range in "${pattern}": ${err.message}`, loc);
        continue;
      }
      if (/\s/.test(pattern) || pattern === '') {
        this.error(`invalid host name "${pattern}"`, loc, 'Host names cannot contain spaces.');
        continue;
      }
      const hasVars = this.checkVars(vars, hosts, pattern, `host "${pattern}"`);
      for (const name of names) this.addHost(name, g, hasVars ? (vars as Vars) : undefined, loc);
    }
  }

  private addHost(name: string, g: InventoryGroup, vars: Vars | undefined, loc: SourceLoc): void {
    let h = this.out.hosts.get(name);
    if (!h) {
      h = { name, source: loc, groups: [], varMaps: [] };
      this.out.hosts.set(name, h);
    }
    if (!h.groups.includes(g.name)) h.groups.push(g.name);
    if (!g.hosts.includes(name)) g.hosts.push(name);
    if (vars && !h.varMaps.includes(vars)) h.varMaps.push(vars);
  }

  private parseChildren(g: InventoryGroup, body: Vars): void {
    const children = body.children;
    if (children === null || children === undefined) return;
    if (!isPlainObject(children)) {
      const detail = Array.isArray(children) ? 'Write each child group as a key: "children:\\n  web:\\n  db:", not a "- web" list.' : undefined;
      this.error(`"children" of group "${g.name}" must be a map of group names, not a ${Array.isArray(children) ? 'list' : typeof children}`, locOf(body, 'children'), detail);
      return;
    }
    for (const [child, childBody] of Object.entries(children)) {
      if (child === 'all') {
        this.error(`group "all" cannot be a child of "${g.name}"`, keyLocOf(children, child), '"all" is the root: every group is already inside it.');
        continue;
      }
      this.parseGroup(child, childBody, children, g.name);
    }
  }
}

/** Parse the hosts file's value; mistakes go to `diags`. */
export function parseHosts(doc: unknown, file: string, diags: Diagnostic[]): ParsedHosts {
  const p = new HostsParser(file, diags);
  p.group('all', undefined);
  if (doc === null || doc === undefined) return p.out;
  if (!isPlainObject(doc)) {
    diags.push({ severity: 'error', summary: `an inventory must be a map with "all:" at the top, not a ${Array.isArray(doc) ? 'list' : typeof doc}`, source: locOf(doc) ?? { file, line: 1, column: 1 } });
    return p.out;
  }
  // top-level groups other than `all` are children of `all`, as in Ansible
  for (const [name, body] of Object.entries(doc)) p.parseGroup(name, body, doc, name === 'all' ? undefined : 'all');
  return p.out;
}
