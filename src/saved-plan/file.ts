import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { userError, UserError } from '../errors/diagnostic.js';
import { checkSchema } from '../playbook/schema-check.js';
import { maskDeep } from '../report/mask.js';
import { maskText } from '../shared/secret.js';
import { PLAN_FORMAT, PlanFileSchema, type PlanFile } from './format.js';

/** Write a plan, secret values masked once more on the whole text (the recorder already saw masked events). */
export async function writePlan(path: string, plan: PlanFile): Promise<void> {
  await writeFile(path, maskText(JSON.stringify(maskDeep(plan), null, 2)) + '\n', { mode: 0o644 });
}

/** Read and validate a plan file; a bad one is a user error naming the file, before any host is contacted. */
export function readPlan(path: string): PlanFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw userError(`cannot read the plan ${path}: ${(err as Error).message}`, undefined, 'make one with: rosey-apply PLAYBOOK -i INVENTORY --check --out plan.json');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw userError(`${path} is not JSON: ${(err as Error).message}`);
  }
  const format = (value as { format?: unknown } | null)?.format;
  if (format !== PLAN_FORMAT) throw userError(`${path} is not a Rosey plan (format ${JSON.stringify(format)}, expected "${PLAN_FORMAT}")`, undefined, 'make one with: rosey-apply PLAYBOOK -i INVENTORY --check --out plan.json');
  const diags = checkSchema(PlanFileSchema, value, 'plan', { file: path, line: 0, column: 0 });
  if (diags.length) throw new UserError(diags);
  return value as PlanFile;
}
