import { Secret } from '../../../src/shared/secret.js';
import type { BotConfig } from './schema.js';
import { ConfigError } from './load.js';

export { Secret };

export interface Secrets {
  password: Secret;
  channelPassword?: Secret;
}

/** Read the passwords named by the config from the environment (never from the file). */
export function readSecrets(config: BotConfig, env: NodeJS.ProcessEnv, file = '<config>'): Secrets {
  const problems: string[] = [];
  const read = (field: string, name: string): Secret | undefined => {
    const value = env[name];
    if (value === undefined || value === '') {
      problems.push(`${field} names the environment variable ${name}, which is not set or empty`);
      return undefined;
    }
    return new Secret(value);
  };
  const password = read('password_env', config.password_env);
  const channelPassword = config.channel_password_env ? read('channel_password_env', config.channel_password_env) : undefined;
  if (!password || problems.length > 0) throw new ConfigError(file, problems);
  return { password, channelPassword };
}
