import type { Cmd } from '../../transport/quote.js';
import type { ApplyContext, Change } from '../types.js';
import { runOrFail } from '../files/attrs.js';

/** user and group: each change is one command (useradd, usermod, groupdel...). */
export interface AccountData {
  cmd: Cmd;
}

export async function applyAccount(change: Change<AccountData>, ctx: ApplyContext): Promise<void> {
  await runOrFail(ctx, change.data.cmd, `could not ${change.summary}`);
}
