import { MAX_RESENDS, SendQueue, type DropReason, type RateLimit } from './cytube/send-queue.js';
import type { ErrorKind } from './observe/metrics.js';

export interface Outgoing {
  text: string;
  /** Set for a private reply. */
  to?: string;
}

export interface ReplyReport {
  /** A reply that will not reach the channel. */
  lost(kind: ErrorKind, msg: string, fields: Record<string, unknown>): void;
  /** A reply refused by the antiflood that goes out again. */
  retried(fields: Record<string, unknown>): void;
}

const isChat = (o: Outgoing) => o.to === undefined;
const isPm = (o: Outgoing) => o.to !== undefined;
const sample = (o: Outgoing) => o.text.slice(0, 80);

const DROP_MESSAGE: Record<DropReason, string> = {
  'queue-full': 'send queue full, reply dropped',
  'not-connected': 'not connected, reply dropped',
  refused: `the channel's antiflood refused the reply ${MAX_RESENDS + 1} times, dropped`,
};

/**
 * The bot's replies on their way out, and what the server answers for each:
 * its echo (delivered), `cooldown` (sent again later), `noflood` (we are
 * muted: lost), `spamFiltered` (new-account chat delay: lost), a failed PM.
 */
export class Replies {
  readonly #queue: SendQueue<Outgoing>;

  constructor(
    limit: RateLimit,
    send: (out: Outgoing) => boolean,
    private readonly report: ReplyReport,
  ) {
    this.#queue = new SendQueue<Outgoing>(limit, send, (reason, out) => report.lost('send', DROP_MESSAGE[reason], { reply: sample(out) }));
  }

  push(out: Outgoing): void {
    this.#queue.push(out);
  }

  /** One of our chat lines came back from the server: it reached the channel. */
  chatEchoed(): void {
    this.#queue.settle(isChat);
  }

  /** The server copied one of our PMs back to us: it was delivered. */
  pmEchoed(to: string): void {
    this.#queue.settle((o) => o.to?.toLowerCase() === to.toLowerCase());
  }

  cooldown(ms: number): void {
    const refused = this.#queue.refused(ms);
    if (refused?.again) this.report.retried({ cooldown_ms: ms, reply: sample(refused.item) });
  }

  muted(serverMsg: string): void {
    const out = this.#queue.settle(isChat);
    this.report.lost('muted', 'reply lost: the bot is muted in this channel', { reply: out && sample(out), server_msg: serverMsg });
  }

  spamFiltered(reason: string): void {
    const out = this.#queue.settle(isChat);
    this.report.lost('filtered', "reply lost to the channel's chat delay for new accounts", { reason, reply: out && sample(out) });
  }

  /** errorMsg: true when it was the answer to one of our PMs (which is then lost). */
  pmFailed(msg: string): boolean {
    if (!msg.startsWith('PM failed') && msg !== "You can't PM yourself!") return false;
    const out = this.#queue.settle(isPm);
    this.report.lost('send', 'private reply not delivered', { server_msg: msg, reply: out && sample(out) });
    return true;
  }

  /** The connection is gone: what waits is dropped, and nothing in flight will be answered for. */
  clear(): void {
    this.#queue.clear();
  }

  stop(): void {
    this.#queue.stop();
  }
}
