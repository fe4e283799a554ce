/**
 * `promtool test rules` cases for every Rosey alert, firing and not firing,
 * built from an environment's variables: the same thresholds and `for:`
 * durations the rules were rendered with decide the series and eval times.
 * Expected annotations are the rendered rule's own text with each Prometheus
 * template replaced by the value Prometheus must produce, so a `{{ }}` that
 * Handlebars ate (or mangled) makes promtool report a mismatch.
 */
export type Vars = Record<string, unknown>;
type Labels = Record<string, string>;

export interface ExpectedAlert {
  labels: Labels;
  /** Prometheus template text → what it must expand to, for this alert. */
  expands: Record<string, string>;
}

export interface RuleCase {
  name: string;
  alertname: string;
  series: { labels: Labels; values: string }[];
  evalSeconds: number;
  expected: ExpectedAlert[];
}

export const STEP = 15;

export function seconds(duration: unknown): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(String(duration));
  if (!m) throw new Error(`not a Prometheus duration: ${String(duration)}`);
  const unit = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

/** Enough samples to cover an evaluation at `evalSeconds` (and a little after). */
const samples = (evalSeconds: number) => Math.ceil(evalSeconds / STEP) + 10;
const constant = (v: number, t: number) => `${v}x${samples(t)}`;
const linear = (start: number, perStep: number, t: number) => `${start}+${perStep}x${samples(t)}`;
/** No sample until `fromSeconds`, then `v` (a series that appears). */
const appearing = (fromSeconds: number, v: number, t: number) => `_x${fromSeconds / STEP} ${v}x${samples(t)}`;

const INSTANCE = 'bot1:8001';

export function ruleCases(vars: Vars): RuleCase[] {
  const env = String(vars.rosey_environment);
  const bot: Labels = { job: 'rosey-bot', instance: INSTANCE, env };
  const agg: Labels = { instance: INSTANCE, env };
  const dash: Labels = { job: 'rosey-dashboard', instance: 'dash:5000', env };
  const inst = { '{{ $labels.instance }}': INSTANCE };
  const cases: RuleCase[] = [
    ...holdCases('RoseyBotDown', seconds(vars.alert_bot_down_for), (t) => [{ labels: { ...bot, __name__: 'up' }, values: constant(0, t) }], { ...bot, severity: 'critical' }, inst),
    { name: 'RoseyBotDown: a bot that answers', alertname: 'RoseyBotDown', series: [{ labels: { ...bot, __name__: 'up' }, values: constant(1, 600) }], evalSeconds: 600, expected: [] },
    ...holdCases('RoseyBotDisconnected', seconds(vars.alert_bot_disconnected_for), (t) => [{ labels: { ...bot, __name__: 'rosey_bot_connected' }, values: constant(0, t) }], { ...bot, severity: 'critical' }, inst),
    { name: 'RoseyBotDisconnected: connected', alertname: 'RoseyBotDisconnected', series: [{ labels: { ...bot, __name__: 'rosey_bot_connected' }, values: constant(1, 600) }], evalSeconds: 600, expected: [] },
    ...errorRateCases(vars, bot, agg),
    ...restartCases(bot),
    ...noUsersCases(vars, bot),
    ...staleCases(vars, bot),
    ...resourceCases(vars, bot),
    ...deploymentCases(vars, dash),
    ...driftCases(vars, dash),
  ];
  return cases;
}

/** Fires once the condition held for `forSeconds`; only pending (no alert) before. */
function holdCases(alertname: string, forSeconds: number, series: (t: number) => RuleCase['series'], labels: Labels, expands: Record<string, string>): RuleCase[] {
  const fireAt = forSeconds + 60;
  const early = forSeconds > STEP * 2 ? [{ name: `${alertname}: not before its for: ${forSeconds}s`, alertname, series: series(fireAt), evalSeconds: forSeconds - STEP * 2, expected: [] }] : [];
  return [...early, { name: `${alertname}: fires after ${forSeconds}s`, alertname, series: series(fireAt), evalSeconds: fireAt, expected: [{ labels, expands }] }];
}

/** Requests at 2/s; handler errors at `ratio` of them; connection errors (other alerts' business) at 1/s. */
function errorSeries(bot: Labels, ratio: number, t: number): RuleCase['series'] {
  return [
    { labels: { ...bot, __name__: 'rosey_bot_requests_total', command: 'help' }, values: linear(0, 10, t) },
    { labels: { ...bot, __name__: 'rosey_bot_errors_total', kind: 'handler' }, values: linear(0, 10 * ratio, t) },
    { labels: { ...bot, __name__: 'rosey_bot_errors_total', kind: 'send' }, values: constant(0, t) },
    { labels: { ...bot, __name__: 'rosey_bot_errors_total', kind: 'connection' }, values: linear(0, 5, t) },
  ];
}

function errorRateCases(vars: Vars, bot: Labels, agg: Labels): RuleCase[] {
  const high = Number(vars.alert_high_error_rate);
  const critical = Number(vars.alert_critical_error_rate);
  const between = (high + critical) / 2;
  const above = critical * 2;
  const pct = (r: number) => `${Math.round(r * 1000) / 10}%`;
  const window = seconds(vars.alert_error_rate_window);
  const rate = (alertname: string, ratio: number, forName: string, severity: string, fires: boolean): RuleCase => {
    const t = window + seconds(vars[forName]) + 60;
    const expected = fires ? [{ labels: { ...agg, severity }, expands: { '{{ $labels.instance }}': INSTANCE, '{{ $value | humanizePercentage }}': pct(ratio) } }] : [];
    return { name: `${alertname} at ${pct(ratio)} errors: ${fires ? 'fires' : 'quiet'}`, alertname, series: errorSeries(bot, ratio, t), evalSeconds: t, expected };
  };
  const idle: RuleCase = {
    name: 'RoseyBotHighErrorRate: connection errors without commands are not a command error rate',
    alertname: 'RoseyBotHighErrorRate',
    series: [
      { labels: { ...bot, __name__: 'rosey_bot_requests_total', command: 'help' }, values: constant(0, 3600) },
      { labels: { ...bot, __name__: 'rosey_bot_errors_total', kind: 'connection' }, values: linear(0, 5, 3600) },
    ],
    evalSeconds: 3600,
    expected: [],
  };
  return [
    rate('RoseyBotHighErrorRate', between, 'alert_high_error_rate_for', 'warning', true),
    rate('RoseyBotHighErrorRate', high / 2, 'alert_high_error_rate_for', 'warning', false),
    rate('RoseyBotCriticalErrorRate', above, 'alert_critical_error_rate_for', 'critical', true),
    rate('RoseyBotCriticalErrorRate', between, 'alert_critical_error_rate_for', 'critical', false),
    idle,
  ];
}

function restartCases(bot: Labels): RuleCase[] {
  const uptime = (start: number) => [{ labels: { ...bot, __name__: 'rosey_bot_uptime_seconds' }, values: linear(start, STEP, 120) }];
  return [
    // 30 s at t=0, 90 s at t=60: humanizeDuration(90) = "1m 30s"
    { name: 'RoseyBotRestarted: a young process', alertname: 'RoseyBotRestarted', series: uptime(30), evalSeconds: 60, expected: [{ labels: { ...bot, severity: 'info' }, expands: { '{{ $labels.instance }}': INSTANCE, '{{ $value | humanizeDuration }}': '1m 30s' } }] },
    { name: 'RoseyBotRestarted: up for a day', alertname: 'RoseyBotRestarted', series: uptime(86400), evalSeconds: 60, expected: [] },
  ];
}

function noUsersCases(vars: Vars, bot: Labels): RuleCase[] {
  const forSeconds = seconds(vars.alert_no_users_for);
  const t = forSeconds + 60;
  const series = (connected: number) => [
    { labels: { ...bot, __name__: 'rosey_bot_channel_users' }, values: constant(0, t) },
    { labels: { ...bot, __name__: 'rosey_bot_connected' }, values: constant(connected, t) },
  ];
  const enabled = vars.alert_no_users_enabled === true;
  return [
    {
      name: `RoseyBotNoUsers: empty channel for ${forSeconds}s ${enabled ? 'fires' : 'is not a rule in this environment'}`,
      alertname: 'RoseyBotNoUsers',
      series: series(1),
      evalSeconds: t,
      expected: enabled ? [{ labels: { ...bot, severity: 'warning' }, expands: { '{{ $labels.instance }}': INSTANCE } }] : [],
    },
    { name: 'RoseyBotNoUsers: a disconnected bot sees nobody (RoseyBotDisconnected covers it)', alertname: 'RoseyBotNoUsers', series: series(0), evalSeconds: t, expected: [] },
  ];
}

function staleCases(vars: Vars, bot: Labels): RuleCase[] {
  const t = seconds(vars.alert_metrics_stale_for) + 60;
  const cond = '{{ if $labels.instance }}{{ $labels.instance }}{{ else }}any bot{{ end }}';
  return [
    { name: 'RoseyBotMetricsStale: the port answers without rosey_bot_* metrics', alertname: 'RoseyBotMetricsStale', series: [{ labels: { ...bot, __name__: 'up' }, values: constant(1, t) }], evalSeconds: t, expected: [{ labels: { ...bot, severity: 'warning' }, expands: { [cond]: INSTANCE } }] },
    { name: 'RoseyBotMetricsStale: no bot target at all', alertname: 'RoseyBotMetricsStale', series: [{ labels: { job: 'node', instance: 'x:9100', __name__: 'up' }, values: constant(1, t) }], evalSeconds: t, expected: [{ labels: { job: 'rosey-bot', severity: 'warning' }, expands: { [cond]: 'any bot' } }] },
    { name: 'RoseyBotMetricsStale: a bot with its metrics', alertname: 'RoseyBotMetricsStale', series: [{ labels: { ...bot, __name__: 'up' }, values: constant(1, t) }, { labels: { ...bot, __name__: 'rosey_bot_up' }, values: constant(1, t) }], evalSeconds: t, expected: [] },
  ];
}

function resourceCases(vars: Vars, bot: Labels): RuleCase[] {
  const t = seconds(vars.alert_memory_growth_window) + seconds(vars.alert_memory_growth_for) + 60;
  const minUptime = Number(vars.alert_memory_growth_min_uptime_seconds);
  const rss = (perSecond: number, startUptime = minUptime + 60) => [
    { labels: { ...bot, __name__: 'process_resident_memory_bytes' }, values: linear(50_000_000, perSecond * STEP, t) },
    { labels: { ...bot, __name__: 'rosey_bot_uptime_seconds' }, values: linear(startUptime, STEP, t) },
  ];
  const lagFor = seconds(vars.alert_event_loop_lag_for);
  const lag = (v: number) => [{ labels: { ...bot, __name__: 'nodejs_eventloop_lag_p99_seconds' }, values: constant(v, lagFor + 60) }];
  const lagHigh = Number(vars.alert_event_loop_lag_seconds) * 2.5;
  return [
    // 6000 B/s = 21,600,000 B/h: humanize1024 gives "20.6Mi"
    { name: 'RoseyBotMemoryGrowth: 20.6 MiB/h', alertname: 'RoseyBotMemoryGrowth', series: rss(6000), evalSeconds: t, expected: [{ labels: { ...bot, severity: 'warning' }, expands: { '{{ $labels.instance }}': INSTANCE, '{{ $value | humanize1024 }}': '20.6Mi' } }] },
    { name: 'RoseyBotMemoryGrowth: 0.7 MiB/h is normal', alertname: 'RoseyBotMemoryGrowth', series: rss(200), evalSeconds: t, expected: [] },
    // uptime reaches minUptime - 60 s at the evaluation: still warming up
    { name: 'RoseyBotMemoryGrowth: a young process warming up', alertname: 'RoseyBotMemoryGrowth', series: rss(6000, minUptime - 60 - t), evalSeconds: t, expected: [] },
    ...holdCases('RoseyBotEventLoopLag', lagFor, () => lag(lagHigh), { ...bot, severity: 'warning' }, { '{{ $labels.instance }}': INSTANCE, '{{ $value | humanizeDuration }}': `${Math.round(lagHigh * 1000)}ms` }),
    { name: 'RoseyBotEventLoopLag: a lag under the threshold', alertname: 'RoseyBotEventLoopLag', series: lag(Number(vars.alert_event_loop_lag_seconds) / 2), evalSeconds: lagFor + 60, expected: [] },
  ];
}

function deploymentCases(vars: Vars, dash: Labels): RuleCase[] {
  const window = seconds(vars.alert_deployment_failed_window);
  const t = window * 3;
  const total = (status: string, values: string) => ({ labels: { ...dash, __name__: 'rosey_deployments_total', status }, values });
  const failed = (status: string) => ({ labels: { ...dash, status, severity: 'critical' }, expands: { '{{ $labels.env }}': dash.env ?? '', '{{ $labels.status }}': status } });
  const slowFor = seconds(vars.alert_deployment_slow_for);
  const inProgress = (v: number) => [{ labels: { ...dash, __name__: 'rosey_deployment_in_progress' }, values: constant(v, slowFor + 60) }];
  return [
    { name: 'DeploymentFailed: the first failure (a new series at 1)', alertname: 'DeploymentFailed', series: [total('ok', linear(3, 0, t)), total('failed', appearing(t - 60, 1, t))], evalSeconds: t, expected: [failed('failed')] },
    { name: 'DeploymentFailed: one more unreachable run', alertname: 'DeploymentFailed', series: [total('unreachable', `2x${(t - 60) / STEP} 3x20`)], evalSeconds: t, expected: [failed('unreachable')] },
    { name: 'DeploymentFailed: old failures and new successes', alertname: 'DeploymentFailed', series: [total('failed', constant(2, t)), total('ok', linear(5, 0.01, t))], evalSeconds: t, expected: [] },
    ...holdCases('DeploymentSlow', slowFor, () => inProgress(1), { ...dash, severity: 'warning' }, { '{{ $labels.env }}': dash.env ?? '' }),
    { name: 'DeploymentSlow: nothing running', alertname: 'DeploymentSlow', series: inProgress(0), evalSeconds: slowFor + 60, expected: [] },
  ];
}

function driftCases(vars: Vars, dash: Labels): RuleCase[] {
  const driftFor = seconds(vars.alert_environment_drift_for);
  const drift = (v: number) => [{ labels: { ...dash, __name__: 'rosey_environment_drift' }, values: constant(v, driftFor + 60) }];
  const stale = Number(vars.alert_drift_check_stale_seconds);
  // the last check finished at t=0 and nothing came since: its timestamp stays 0
  const t = stale + 600;
  const checked = (lastAt: (step: number) => number) => [{ labels: { ...dash, __name__: 'rosey_environment_drift_checked_timestamp_seconds' }, values: `${lastAt(0)}+${lastAt(1) - lastAt(0)}x${samples(t)}` }];
  return [
    ...holdCases('EnvironmentDrifted', driftFor, () => drift(1), { ...dash, severity: 'warning' }, { '{{ $labels.env }}': dash.env ?? '' }),
    { name: 'EnvironmentDrifted: the environment matches', alertname: 'EnvironmentDrifted', series: drift(0), evalSeconds: driftFor + 60, expected: [] },
    { name: 'DriftCheckStale: no check for 10 min longer than allowed', alertname: 'DriftCheckStale', series: checked(() => 0), evalSeconds: t, expected: [{ labels: { ...dash, severity: 'warning' }, expands: { '{{ $labels.env }}': dash.env ?? '', '{{ $value | humanizeDuration }}': humanizeDuration(t) } }] },
    // a check every step: the last one is always just now
    { name: 'DriftCheckStale: checks keep coming', alertname: 'DriftCheckStale', series: checked((step) => step * STEP), evalSeconds: t, expected: [] },
  ];
}

/** Prometheus' humanizeDuration for whole seconds of at least a minute: "18h 10m 0s". */
function humanizeDuration(total: number): string {
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return [d ? `${d}d` : '', d || h ? `${h}h` : '', `${m}m`, `${s}s`].filter(Boolean).join(' ');
}
