import { Type, type Static } from '@sinclair/typebox';

/**
 * The file `rosey-apply --check --out plan.json` writes and `rosey-apply
 * apply plan.json` reads: every step of the dry run per host, with the facts
 * each host module planned from. One TypeBox definition gives the type and
 * the validator. It never holds a secret value: everything in it went
 * through the same masking as the printed output.
 */
export const PLAN_FORMAT = 'rosey-plan/1';

const Change = Type.Object({
  action: Type.String(),
  summary: Type.String(),
  path: Type.Optional(Type.String()),
  /** the --diff text of the change (masked), for people reviewing the plan */
  diff: Type.Optional(Type.String()),
});

const Step = Type.Object({
  /** "role : name" */
  task: Type.String(),
  /** file:line:col of the task */
  source: Type.String(),
  handler: Type.Boolean(),
  /** the loop item's label */
  item: Type.Optional(Type.String()),
  status: Type.String(),
  /** what the module read from the host (masked); absent for modules that read nothing */
  facts: Type.Optional(Type.Unknown()),
  /** no_log tasks: a digest of the facts instead of the facts */
  factsDigest: Type.Optional(Type.String()),
  changes: Type.Array(Change),
});

const Host = Type.Object({
  host: Type.String({ minLength: 1 }),
  steps: Type.Array(Step),
});

const FileIdentity = Type.Object({
  /** as given on the command line, relative to the directory rosey-apply ran in */
  path: Type.String({ minLength: 1 }),
  /** sha256 over the file (a playbook) or the files (an inventory directory) */
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
});

export const PlanFileSchema = Type.Object({
  format: Type.Literal(PLAN_FORMAT),
  createdAt: Type.String(),
  runId: Type.String(),
  user: Type.String(),
  environment: Type.String(),
  playbook: FileIdentity,
  inventory: FileIdentity,
  /** the checkout the plan was made from, when it was a git work tree */
  git: Type.Optional(Type.Object({ commit: Type.String(), tree: Type.String(), dirty: Type.Boolean() })),
  /** what selected and parameterised the run; `apply` runs with the same */
  options: Type.Object({
    limit: Type.Optional(Type.String()),
    tags: Type.Array(Type.String()),
    skipTags: Type.Array(Type.String()),
    extraVars: Type.Record(Type.String(), Type.Unknown()),
  }),
  hosts: Type.Array(Host),
});

export type PlanFile = Static<typeof PlanFileSchema>;
export type PlanHost = Static<typeof Host>;
export type PlanStep = Static<typeof Step>;
export type PlanChange = Static<typeof Change>;
