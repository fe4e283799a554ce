import type { SessionEnd } from './cytube/client.js';
import type { Logger } from './observe/log.js';
import type { BotMetrics, ErrorKind } from './observe/metrics.js';
import { END_ERROR_KIND, endLevel, endMessage } from './session-messages.js';

/** Error kinds that are part of life on a public server: logged as warnings. */
const WARN_KINDS: ReadonlySet<ErrorKind> = new Set(['connection', 'protocol']);
/** Malformed frames logged per event name before only every 1000th is (a server repeating one must not flood the journal). */
const INVALID_LOGGED = 10;

/** What the bot reports about itself: counters for health and metrics, its mute, and the log lines that go with them. */
export class BotStatus {
  requests = 0;
  errors = 0;
  invalidEvents = 0;
  /** The server drops our chat: we are muted in the channel. */
  muted = false;
  readonly #invalidSeen = new Map<string, number>();

  constructor(
    private readonly metrics: BotMetrics,
    private readonly log: Logger,
  ) {}

  /** Count a failure; log it unless `msg` is empty (counted, already said often enough). */
  error(kind: ErrorKind, msg: string, fields: Record<string, unknown>): void {
    this.errors++;
    this.metrics.errors.inc({ kind });
    if (msg) this.log[WARN_KINDS.has(kind) ? 'warn' : 'error'](msg, { error_kind: kind, ...fields });
  }

  ended(end: SessionEnd, retryInMs: number, username: string): void {
    this.muted = false;
    const kind = END_ERROR_KIND[end.kind];
    this.errors++;
    this.metrics.errors.inc({ kind });
    this.log[endLevel(end)](endMessage(end, username), { error_kind: kind, reason: end.kind, detail: end.detail, retry_in_ms: retryInMs });
  }

  invalid(event: string, data: unknown): void {
    this.invalidEvents++;
    this.metrics.invalidEvents.inc({ event });
    const seen = (this.#invalidSeen.get(event) ?? 0) + 1;
    this.#invalidSeen.set(event, seen);
    const fields = { event, payload: String(JSON.stringify(data) ?? typeof data).slice(0, 200), seen };
    this.error('protocol', seen <= INVALID_LOGGED || seen % 1000 === 0 ? 'malformed server event dropped' : '', fields);
  }

  setMuted(muted: boolean): void {
    if (muted === this.muted) return;
    this.muted = muted;
    if (muted) this.log.error('the bot is muted in this channel: the server drops its replies until a moderator unmutes it', { muted: true });
    else this.log.info('the bot is no longer muted in this channel');
  }
}
