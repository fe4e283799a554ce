import { UserError, type Diagnostic } from '../errors/diagnostic.js';
import { loadYamlFileSync } from '../yaml/source.js';

/** Load a YAML file, adding its errors to `diags` (so one run reports every broken file) instead of throwing. */
export function tryLoadYaml(file: string, diags: Diagnostic[]): unknown {
  try {
    return loadYamlFileSync(file);
  } catch (err) {
    if (err instanceof UserError) {
      diags.push(...err.diagnostics);
      return undefined;
    }
    throw err;
  }
}
