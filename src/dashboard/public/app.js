// Rosey dashboard page: plain DOM, no framework. Every value from the API is
// set with textContent (never innerHTML), so run records and alert labels
// cannot inject markup.
const REFRESH_MS = 30_000;
const SVG = 'http://www.w3.org/2000/svg';
const $ = (id) => document.getElementById(id);

const state = { token: sessionStorage.getItem('rosey-dashboard-token') || '', timer: 0 };

/** Build an element: el('td', {class: 'x', 'data-label': 'Who'}, 'alice', child). */
function el(tag, attrs = {}, ...children) {
  const node = tag.startsWith('svg:') ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null && v !== false) node.setAttribute(k, String(v));
  for (const c of children.flat(Infinity)) if (c !== undefined && c !== null && c !== false) node.append(c instanceof Node ? c : String(c));
  return node;
}

class Unauthorized extends Error {}

async function api(path) {
  const headers = { accept: 'application/json' };
  if (state.token) headers.authorization = `Bearer ${state.token}`;
  const res = await fetch(path, { headers });
  if (res.status === 401) throw new Unauthorized();
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

// ---- formatting -----------------------------------------------------------

function duration(ms) {
  if (ms === null || ms === undefined) return '–';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}
function ago(iso) {
  const ms = Date.now() - Date.parse(iso);
  return ms < 45_000 ? 'just now' : `${duration(ms).split(' ')[0]} ago`;
}
const when = (iso) => (iso ? new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' }) : '–');
const pill = (status, text = status) => el('span', { class: `pill st-${status}` }, text);
const statusLabel = { ok: 'ok', failed: 'failed', unreachable: 'unreachable', running: 'running' };

// ---- environments -------------------------------------------------------------

const botStateText = { up: 'connected', down: 'not connected', unreachable: 'unreachable', pending: 'checking…' };

function botItem(bot) {
  const facts = [];
  const h = bot.health;
  if (bot.state === 'unreachable') facts.push(el('span', {}, bot.error));
  if (h) {
    if (h.channel) facts.push(el('span', {}, '#', el('b', {}, h.channel)));
    if (h.version) facts.push(el('span', {}, 'v', el('b', {}, h.version)));
    if (h.uptimeSeconds !== null) facts.push(el('span', {}, 'up ', el('b', {}, duration(h.uptimeSeconds * 1000))));
    if (h.users !== null) facts.push(el('span', {}, el('b', {}, h.users), ' users'));
    if (h.requests !== null) facts.push(el('span', {}, el('b', {}, h.requests), ' requests'));
    if (h.errors !== null) facts.push(el('span', {}, el('b', {}, h.errors), ' errors'));
    if (h.status && bot.state !== 'up') facts.push(el('span', {}, 'status ', el('b', {}, h.status)));
  }
  return el('li', { class: 'bot', 'data-state': bot.state, title: bot.url },
    el('div', { class: 'bot-name' }, el('span', { class: `dot ${bot.state}` }), bot.name, el('span', { class: 'state' }, botStateText[bot.state] ?? bot.state)),
    facts.length ? el('div', { class: 'facts' }, facts) : null);
}

function envHealth(env) {
  if (env.bots.length === 0) return { cls: 'none', text: 'no bots configured' };
  const up = env.bots.filter((b) => b.state === 'up').length;
  if (env.bots.every((b) => b.state === 'pending')) return { cls: 'pending', text: 'checking…' };
  if (up === env.bots.length) return { cls: 'up', text: 'healthy' };
  if (up === 0) return { cls: 'down', text: 'down' };
  return { cls: 'degraded', text: `${up}/${env.bots.length} up` };
}
const healthPill = { up: 'ok', down: 'failed', degraded: 'unreachable', pending: 'pending', none: 'none' };

function envCard(env) {
  const health = envHealth(env);
  const last = env.lastDeployment;
  return el('article', { class: `card health-${health.cls}`, 'data-env': env.name },
    el('div', { class: 'card-head' },
      el('h3', {}, env.name),
      el('span', {}, env.inProgress ? pill('running', 'deploying') : null, ' ', pill(healthPill[health.cls], health.text))),
    el('p', { class: 'last' },
      last
        ? [pill(last.status, statusLabel[last.status]), last.version ? `v${last.version} ` : '', `by ${last.user} · `,
            el('time', { datetime: last.finishedAt ?? last.startedAt, title: when(last.finishedAt ?? last.startedAt) }, ago(last.finishedAt ?? last.startedAt))]
        : 'never deployed here'),
    driftLine(env.drift),
    env.bots.length ? el('ul', { class: 'bots' }, env.bots.map(botItem)) : null);
}

// Drift: from the scheduled `--check --detailed-exitcode` (drift.yml); what would change, per host and task.
const driftPill = { match: ['ok', 'matches its playbooks'], drift: ['failed', 'drifted'], failed: ['unreachable', 'drift check failed'] };

function driftLine(drift) {
  if (!drift) return el('p', { class: 'drift muted', 'data-drift': 'unknown' }, 'drift: never checked');
  const [cls, text] = driftPill[drift.status] ?? ['pending', drift.status];
  const matched = drift.lastMatchAt
    ? ['last matched ', el('time', { datetime: drift.lastMatchAt, title: when(drift.lastMatchAt) }, ago(drift.lastMatchAt))]
    : ['never matched'];
  const checked = ['checked ', el('time', { datetime: drift.checkedAt, title: when(drift.checkedAt) }, ago(drift.checkedAt))];
  const tasks = drift.tasks.length && drift.status !== 'match'
    ? el('details', { class: 'drifted' },
        el('summary', {}, `${drift.tasks.length} task${drift.tasks.length === 1 ? '' : 's'} would change`),
        el('ul', {}, drift.tasks.map((t) => el('li', {}, el('b', {}, t.host), ' ', t.task, t.changes.length ? el('span', { class: 'muted' }, ` (${t.changes.join('; ')})`) : null))))
    : null;
  return el('div', { class: 'drift', 'data-drift': drift.status },
    el('p', {}, pill(cls, text), ' ', matched, ' · ', checked),
    tasks);
}

function renderEnvironments(status) {
  const box = $('environments');
  box.replaceChildren(...(status.environments.length
    ? status.environments.map(envCard)
    : [el('p', { class: 'muted' }, 'No environments yet: list them in the config file, or post a deployment.')]));
  const select = $('filter-env');
  const chosen = select.value;
  select.replaceChildren(el('option', { value: '' }, 'all'), ...status.environments.map((e) => el('option', { value: e.name }, e.name)));
  select.value = status.environments.some((e) => e.name === chosen) ? chosen : '';
}

// ---- stats ---------------------------------------------------------------------

function renderStats(s) {
  const tile = (label, value, bad = false) => el('div', { class: 'tile' }, el('div', { class: 'label' }, label), el('div', { class: `value${bad ? ' bad' : ''}` }, value));
  $('stats').replaceChildren(
    tile('Deployments', s.total),
    tile('Success rate', s.successRate === null ? '–' : `${(s.successRate * 100).toFixed(s.successRate === 1 ? 0 : 1)}%`),
    tile('Failures', s.failures, s.failures > 0),
    tile('Mean duration', duration(s.meanDurationMs)),
    tile('p95 duration', duration(s.p95DurationMs)),
  );
}

// ---- chart -----------------------------------------------------------------------

function renderChart(deployments) {
  const box = $('chart');
  const runs = deployments.filter((d) => !d.check).slice(0, 40).reverse();
  if (runs.length === 0) {
    box.replaceChildren(el('p', { class: 'muted' }, 'No deployments yet.'));
    return;
  }
  const width = Math.max(260, box.clientWidth);
  const height = 170;
  const pad = { top: 14, right: 8, bottom: 22, left: 58 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const max = Math.max(60_000, ...runs.map((r) => r.durationMs ?? 0));
  const slot = plotW / runs.length;
  const barW = Math.max(3, Math.min(28, slot * 0.7));
  const svg = el('svg:svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `Durations of the last ${runs.length} deployments` });
  const y = (ms) => pad.top + plotH - (ms / max) * plotH;
  for (const frac of [0, 0.5, 1]) {
    const ly = y(max * frac);
    svg.append(el('svg:line', { class: 'axis', x1: pad.left, x2: width - pad.right, y1: ly, y2: ly }),
      el('svg:text', { x: pad.left - 6, y: ly + 4, 'text-anchor': 'end' }, duration(max * frac)));
  }
  runs.forEach((r, i) => {
    // a running deploy has no duration yet: a short stub in its colour
    const ms = r.durationMs ?? max * 0.04;
    const x = pad.left + i * slot + (slot - barW) / 2;
    const top = Math.min(y(ms), pad.top + plotH - 2);
    const bar = el('svg:rect', { class: `bar-${r.status}`, x, y: top, width: barW, height: pad.top + plotH - top, rx: 2, 'data-id': r.id });
    bar.append(el('svg:title', {}, `${r.environment} ${r.version ?? ''} · ${r.status} · ${duration(r.durationMs)} · ${when(r.startedAt)}`));
    bar.addEventListener('click', () => openDetail(r.id));
    svg.append(bar);
  });
  const day = (iso) => new Date(iso).toLocaleDateString([], { month: 'short', day: 'numeric' });
  svg.append(el('svg:text', { x: pad.left, y: height - 6 }, day(runs[0].startedAt)),
    el('svg:text', { x: width - pad.right, y: height - 6, 'text-anchor': 'end' }, day(runs[runs.length - 1].startedAt)));
  box.replaceChildren(svg);
}

// ---- alerts -----------------------------------------------------------------------

function renderAlerts(alerts) {
  $('alert-count').textContent = alerts.length ? `(${alerts.length})` : '';
  if (alerts.length === 0) {
    $('alerts').replaceChildren(el('li', { class: 'all-clear' }, '✓ No active alerts'));
    return;
  }
  $('alerts').replaceChildren(...alerts.map((a) => {
    const where = [a.labels.env, a.labels.instance].filter(Boolean).join(' · ');
    return el('li', { class: `alert sev-${a.severity}`, 'data-fingerprint': a.fingerprint },
      el('div', { class: 'alert-head' }, pill(a.severity === 'critical' ? 'failed' : a.severity === 'warning' ? 'unreachable' : 'running', a.severity),
        el('span', { class: 'alert-name' }, a.alertname)),
      a.summary ? el('p', {}, a.summary) : null,
      el('p', { class: 'since' }, 'since ', el('time', { datetime: a.startsAt, title: when(a.startsAt) }, when(a.startsAt)), ` (${ago(a.startsAt)})`, where ? ` · ${where}` : ''));
  }));
}

// ---- history -----------------------------------------------------------------------

function historyRow(d) {
  const td = (label, cls, ...content) => el('td', { 'data-label': label, class: cls }, ...content);
  const row = el('tr', { tabindex: 0, 'data-id': d.id, 'data-status': d.status, 'data-env': d.environment },
    td('Status', null, pill(d.status, statusLabel[d.status]), d.check ? el('span', { class: 'tag' }, 'check') : null, d.rollbackOf ? el('span', { class: 'tag', title: `rollback of ${d.rollbackOf}` }, 'rollback') : null),
    td('Environment', null, d.environment),
    td('Version', null, d.version ?? '–'),
    td('Playbook', null, d.playbook),
    td('Who', null, d.user),
    td('Reason', 'reason', d.reason ?? '–'),
    td('Started', null, el('time', { datetime: d.startedAt, title: when(d.startedAt) }, when(d.startedAt))),
    td('Duration', 'num', duration(d.durationMs)),
    td('Hosts', 'num', `${d.hosts.filter((h) => h.status === 'ok' || h.status === 'changed').length}/${d.hosts.length} ok`),
    td('Changed', 'num', d.changed));
  row.addEventListener('click', () => openDetail(d.id));
  row.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); openDetail(d.id); } });
  return row;
}

function renderHistory(deployments) {
  $('history').replaceChildren(...deployments.map(historyRow));
  $('history-empty').hidden = deployments.length > 0;
}

function historyQuery() {
  const q = new URLSearchParams({ limit: '100' });
  if ($('filter-env').value) q.set('env', $('filter-env').value);
  if ($('filter-status').value) q.set('status', $('filter-status').value);
  return `/api/deployments?${q}`;
}

// ---- detail ---------------------------------------------------------------------------

function taskItem(t) {
  return el('li', { class: 'task' },
    pill(t.status), ' ', el('strong', {}, t.name), el('span', { class: 'muted' }, ` (${t.module})`),
    el('div', { class: 'src' }, t.source),
    t.changes.length ? el('ul', {}, t.changes.map((c) => el('li', {}, c))) : null,
    t.msg ? el('p', { class: 'msg' }, t.msg) : null);
}

function hostSection(h) {
  const c = h.counts;
  return el('section', { class: 'host', 'data-host': h.host },
    el('div', { class: 'host-head' }, el('h3', {}, h.host), pill(h.status),
      el('span', { class: 'counts' }, `ok ${c.ok} · changed ${c.changed} · failed ${c.failed} · unreachable ${c.unreachable} · skipped ${c.skipped}`)),
    h.tasks.length ? el('ul', { class: 'tasks' }, h.tasks.map(taskItem)) : el('p', { class: 'muted' }, 'No task changed on this host.'));
}

async function openDetail(id) {
  let run;
  try {
    run = await api(`/api/deployments/${encodeURIComponent(id)}`);
  } catch (err) {
    return showError(err);
  }
  const rows = [
    ['Run', run.id], ['Status', pill(run.status, statusLabel[run.status])], ['Environment', run.environment], ['Playbook', run.playbook],
    ['Version', run.version], ['Who', run.user], ['Reason', run.reason], ['Started', when(run.startedAt)], ['Finished', when(run.finishedAt)],
    ['Duration', duration(run.durationMs)], ['Rollback of', run.rollbackOf], ['Git revision', run.gitRevision], ['Dry run', run.check ? 'yes (--check)' : null],
  ].filter(([, v]) => v !== undefined && v !== null);
  $('detail-title').textContent = `${run.environment} · ${run.version ? `v${run.version}` : run.playbook}`;
  $('detail-body').replaceChildren(
    el('dl', { class: 'meta' }, rows.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    el('h3', { class: 'hosts-title' }, `Hosts (${run.hosts.length})`),
    ...(run.hosts.length ? run.hosts.map(hostSection) : [el('p', { class: 'muted' }, run.status === 'running' ? 'Still running.' : 'No hosts.')]));
  if (!$('detail').open) $('detail').showModal();
}

// ---- refresh loop -----------------------------------------------------------------------

function showError(err) {
  if (err instanceof Unauthorized) {
    $('token-form').hidden = false;
    $('error').hidden = true;
    $('updated').textContent = 'locked';
    return;
  }
  $('error').textContent = `Could not load the dashboard data (${err.message}). Retrying every 30 s.`;
  $('error').hidden = false;
}

async function refresh() {
  try {
    const [status, stats, alerts, recent] = await Promise.all([api('/api/status'), api('/api/stats'), api('/api/alerts'), api('/api/deployments?limit=40')]);
    renderEnvironments(status);
    renderStats(stats);
    renderAlerts(alerts.alerts);
    renderChart(recent.deployments);
    renderHistory((await api(historyQuery())).deployments);
    $('error').hidden = true;
    $('token-form').hidden = true;
    $('updated').textContent = `updated ${new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })}`;
  } catch (err) {
    showError(err);
  }
}

async function refreshHistory() {
  try {
    renderHistory((await api(historyQuery())).deployments);
  } catch (err) {
    showError(err);
  }
}

function schedule() {
  clearInterval(state.timer);
  state.timer = setInterval(() => { if (!document.hidden) refresh(); }, REFRESH_MS);
}

$('refresh').addEventListener('click', () => { refresh(); schedule(); });
$('filter-env').addEventListener('change', refreshHistory);
$('filter-status').addEventListener('change', refreshHistory);
$('detail-close').addEventListener('click', () => $('detail').close());
$('detail').addEventListener('click', (e) => { if (e.target === $('detail')) $('detail').close(); });
$('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  state.token = $('token-input').value.trim();
  sessionStorage.setItem('rosey-dashboard-token', state.token);
  refresh();
});
document.addEventListener('visibilitychange', () => { if (!document.hidden) refresh(); });
let resizeTimer = 0;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => api('/api/deployments?limit=40').then((r) => renderChart(r.deployments), () => {}), 150);
});

refresh();
schedule();
