import { Type } from '@sinclair/typebox';

/** Argument schemas shared by several modules: one definition each, so the docs say the same thing everywhere. */
export const ModeArg = Type.Union([Type.String({ minLength: 1 }), Type.Integer({ minimum: 0 })], {
  description:
    "Permissions: '0644', 0644 or 644 (all the same: digits are octal), or symbolic 'u=rw,g=r,o=r' / 'u+x'. Quote it to be safe; `0o644` is not supported.",
});

export const OwnerArg = Type.Union([Type.String({ minLength: 1 }), Type.Integer({ minimum: 0 })], { description: 'User name or numeric uid that should own the path.' });
export const GroupArg = Type.Union([Type.String({ minLength: 1 }), Type.Integer({ minimum: 0 })], { description: 'Group name or numeric gid that should own the path.' });

export const ValidateArg = Type.String({
  minLength: 1,
  description: "Command run on the new file before it is installed, `%s` is its path (e.g. `visudo -cf %s`); a non-zero exit keeps the old file.",
});

export const BackupArg = Type.Boolean({
  description: 'Accepted for Ansible compatibility. Rosey always backs up a replaced file to /var/backups/rosey/<run-id>/<path>.',
  default: true,
});

/** mode, owner, group: spread into a module's argument object. */
export const AttrProps = {
  mode: Type.Optional(ModeArg),
  owner: Type.Optional(OwnerArg),
  group: Type.Optional(GroupArg),
};

/** Module argument objects reject unknown keys, so a misspelled argument is an error before any host is contacted. */
export const STRICT = { additionalProperties: false } as const;
