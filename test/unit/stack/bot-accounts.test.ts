import { describe, expect, it } from 'vitest';
import { ENVIRONMENTS, groupHosts, hostRoleVars } from './render.js';

// Two bots logged in under one name in one channel put each other out
// (CyTube's duplicate login), so every inventory gives each bot of a
// channel an account of its own.
describe.each(ENVIRONMENTS)('inventory/%s', (env) => {
  it('no two bots share an account on one server and channel', async () => {
    const seen = new Map<string, string>();
    for (const name of await groupHosts(env, 'bots')) {
      const v = await hostRoleVars(env, 'bot', name);
      const key = `${String(v.bot_server)} ${String(v.bot_channel)} ${String(v.bot_username)}`;
      expect(seen.get(key), `${name} and ${seen.get(key)} both log in as ${String(v.bot_username)}`).toBeUndefined();
      seen.set(key, name);
    }
    expect(seen.size).toBeGreaterThan(0);
  });
});
