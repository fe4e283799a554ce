import type { BotEndpoint, DashboardConfig } from './config.js';

/** What a bot's `GET /api/health` reports, as far as it reported it. */
export interface BotHealth {
  status: string | null;
  connected: boolean;
  channel: string | null;
  version: string | null;
  uptimeSeconds: number | null;
  users: number | null;
  requests: number | null;
  errors: number | null;
}

/** A bot's last poll: up (connected), down (answered, not connected), unreachable, or not polled yet. */
export type BotState =
  | { state: 'pending' }
  | { state: 'up'; httpStatus: number; health: BotHealth }
  | { state: 'down'; httpStatus: number; health: BotHealth | null }
  | { state: 'unreachable'; error: string };

export type BotStatus = BotEndpoint & { checkedAt: string | null; latencyMs: number | null } & BotState;

export type FetchLike = (url: string, init: { signal: AbortSignal; headers?: Record<string, string> }) => Promise<Response>;

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown) => (typeof v === 'string' ? v : null);

/** Pure: the fields we show, from whatever JSON the bot sent (older bots may lack some). */
export function parseHealth(body: unknown): BotHealth | null {
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  return {
    status: str(b.status),
    connected: b.connected === true,
    channel: str(b.channel),
    version: str(b.version),
    uptimeSeconds: num(b.uptime),
    users: num(b.user_count),
    requests: num(b.requests),
    errors: num(b.errors),
  };
}

async function pollBot(bot: BotEndpoint, fetchFn: FetchLike, signal: AbortSignal): Promise<BotState> {
  try {
    const res = await fetchFn(bot.url, { signal, headers: { accept: 'application/json' } });
    const health = parseHealth(await res.json().catch(() => null));
    if (res.ok && health?.connected) return { state: 'up', httpStatus: res.status, health };
    return { state: 'down', httpStatus: res.status, health };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    // fetch wraps the useful part ("ECONNREFUSED", "bad port") in `cause`.
    const reason = e.name === 'TimeoutError' ? 'timed out' : (e.cause?.code ?? e.cause?.message ?? e.message);
    return { state: 'unreachable', error: reason };
  }
}

export interface HealthPoller {
  /** The last known state of every configured bot, by environment. Never waits for a poll. */
  snapshot(): Map<string, BotStatus[]>;
  /** One round over every bot (a round already in flight is joined, not doubled). */
  pollNow(): Promise<void>;
  start(): void;
  stop(): void;
}

export function createHealthPoller(config: DashboardConfig, fetchFn: FetchLike): HealthPoller {
  const states = new Map<string, BotStatus[]>(
    config.environments.map((env) => [env.name, env.bots.map((b) => ({ ...b, checkedAt: null, latencyMs: null, state: 'pending' as const }))]),
  );
  const stopping = new AbortController();
  let inFlight: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  async function round(): Promise<void> {
    await Promise.all(
      config.environments.flatMap((env) =>
        env.bots.map(async (bot, i) => {
          const started = Date.now();
          const signal = AbortSignal.any([AbortSignal.timeout(config.pollTimeoutMs), stopping.signal]);
          const state = await pollBot(bot, fetchFn, signal);
          if (stopping.signal.aborted) return;
          const list = states.get(env.name);
          if (list) list[i] = { ...bot, checkedAt: new Date().toISOString(), latencyMs: Date.now() - started, ...state };
        }),
      ),
    );
  }

  function pollNow(): Promise<void> {
    inFlight ??= round().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  return {
    snapshot: () => new Map([...states].map(([k, v]) => [k, [...v]])),
    pollNow,
    start() {
      if (timer || config.environments.length === 0) return;
      void pollNow();
      timer = setInterval(() => void pollNow(), config.pollIntervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      stopping.abort();
    },
  };
}
