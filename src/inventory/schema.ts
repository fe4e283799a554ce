import { Type, type TSchema } from '@sinclair/typebox';

/**
 * The hosts file's shape as a TypeBox schema, for editors (published as
 * schemas/inventory.schema.json). The loader itself reads the file with
 * parse-hosts.ts, whose hand-written checks give better messages than a
 * schema could ("write hosts as a map, not a - list"); a unit test feeds
 * both the same good and bad files so they cannot disagree. The names and
 * the patterns below are the loader's (GROUP_KEYS, VAR_NAME, BAD_GROUP_CHARS).
 */

const VAR_NAME = '^[A-Za-z_][A-Za-z0-9_]*$';
const GROUP_NAME = '^[^\\s:,!&*?\\[\\]~@]+$';
const HOST_PATTERN = '^\\S+$';

/** connection-spec.ts reads a number written as a string too ("2222") */
const numeric = (s: TSchema): TSchema => Type.Union([s, Type.String({ pattern: '^\\s*[0-9]+(\\.[0-9]+)?\\s*$' }), Type.String({ pattern: '\\{\\{' })]);
const NON_EMPTY = '\\S';
const BOOL_WORD = '^\\s*(true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO)\\s*$';

/** The variables connection-spec.ts reads (Rosey's name or Ansible's), described for completion. */
const CONNECTION: Record<string, TSchema> = {
  ansible_host: Type.String({ pattern: NON_EMPTY, description: 'Address to connect to (default: the host\'s name). rosey_host wins when both are set.' }),
  rosey_host: Type.String({ pattern: NON_EMPTY, description: 'Address to connect to (default: the host\'s name).' }),
  ansible_port: numeric(Type.Integer({ minimum: 1, maximum: 65535, description: 'SSH port (default 22).' })),
  rosey_port: numeric(Type.Integer({ minimum: 1, maximum: 65535, description: 'SSH port (default 22).' })),
  ansible_user: Type.String({ pattern: NON_EMPTY, description: 'SSH user (default: the user running rosey-apply).' }),
  rosey_user: Type.String({ pattern: NON_EMPTY, description: 'SSH user (default: the user running rosey-apply).' }),
  ansible_connection: Type.Union([Type.Literal('ssh'), Type.Literal('local'), Type.Literal('smart'), Type.Literal('paramiko')], { description: 'ssh (default) or local (run on the controller); smart and paramiko mean ssh.' }),
  rosey_connection: Type.Union([Type.Literal('ssh'), Type.Literal('local')], { description: 'ssh (default) or local (run on the controller).' }),
  ansible_ssh_private_key_file: Type.String({ description: 'Private key file; a relative path resolves against the inventory directory.' }),
  ansible_private_key_file: Type.String({ description: 'Private key file; a relative path resolves against the inventory directory.' }),
  rosey_private_key_file: Type.String({ description: 'Private key file; a relative path resolves against the inventory directory.' }),
  rosey_known_hosts_file: Type.String({ description: 'known_hosts file the host key is checked against; relative: against the inventory directory.' }),
  ansible_host_key_checking: Type.Union([Type.Boolean(), Type.String({ pattern: BOOL_WORD })], { description: 'Host key checking is on unless this is false.' }),
  rosey_host_key_checking: Type.Union([Type.Boolean(), Type.String({ pattern: BOOL_WORD })], { description: 'Host key checking is on unless this is false.' }),
  ansible_timeout: numeric(Type.Number({ exclusiveMinimum: 0, description: 'SSH connect timeout in seconds (default 10).' })),
  rosey_timeout: numeric(Type.Number({ exclusiveMinimum: 0, description: 'SSH connect timeout in seconds (default 10).' })),
  ansible_group_priority: Type.Integer({ description: 'Among groups of the same depth, a higher priority\'s vars win (default 1).' }),
};

const VarsRef = Type.Unsafe<Record<string, unknown> | null>({ $ref: '#/definitions/vars' });
const GroupRef = Type.Unsafe<Record<string, unknown> | null>({ $ref: '#/definitions/group' });

const Vars = Type.Union([
  Type.Null(),
  Type.Object(
    Object.fromEntries(Object.entries(CONNECTION).map(([k, v]) => [k, Type.Optional(v)])),
    { additionalProperties: true, propertyNames: { pattern: VAR_NAME }, description: 'Variables: name: value.' },
  ),
]);

const Group = Type.Union([
  Type.Null(),
  Type.Object(
    {
      hosts: Type.Optional(Type.Union([Type.Null(), Type.Record(Type.String({ pattern: HOST_PATTERN }), VarsRef, { additionalProperties: false })], { description: 'Hosts of this group, as a map: name: (its variables). web[01:03] is a range.' })),
      children: Type.Optional(Type.Union([Type.Null(), Type.Record(Type.String({ pattern: GROUP_NAME }), GroupRef, { additionalProperties: false, propertyNames: { not: { const: 'all' } } })], { description: 'Child groups, as a map: name: (its hosts, children, vars). "all" cannot be a child.' })),
      vars: Type.Optional(VarsRef),
    },
    { additionalProperties: false },
  ),
]);

/** The hosts file: top-level groups (usually just `all`), with the definitions its references name. */
export const INVENTORY_SCHEMA = Type.Record(Type.String({ pattern: GROUP_NAME }), GroupRef, {
  additionalProperties: false,
  description: 'A Rosey inventory hosts file (Ansible YAML format): all: { vars, hosts, children }.',
  definitions: { vars: Vars, group: Group },
});
