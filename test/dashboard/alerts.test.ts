import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertRow } from '../../src/dashboard/alert-payload.js';
import { alertmanagerPayload, startDashboard, type Running } from './builders.js';

let d: Running;
beforeEach(async () => {
  d = await startDashboard();
});
afterEach(async () => {
  await d.stop();
});

const alerts = async (all = false) => ((await d.get(`/api/alerts${all ? '?all=1' : ''}`)).json as { alerts: AlertRow[] }).alerts;

describe('Alertmanager webhook (version 4)', () => {
  it('shows a firing alert with severity, summary and since-when, then drops it once resolved', async () => {
    const firing = await d.post('/api/alerts', alertmanagerPayload([{ name: 'BotDown', severity: 'critical', summary: 'bot1 is down', startsAt: '2026-11-24T12:00:00.000Z' }]));
    expect(firing).toMatchObject({ status: 200, json: { received: 1, created: 1 } });
    expect(await alerts()).toEqual([
      expect.objectContaining({ alertname: 'BotDown', status: 'firing', severity: 'critical', summary: 'bot1 is down', startsAt: '2026-11-24T12:00:00.000Z', endsAt: null }),
    ]);

    await d.post('/api/alerts', alertmanagerPayload([{ name: 'BotDown', status: 'resolved', startsAt: '2026-11-24T12:00:00.000Z', endsAt: '2026-11-24T12:05:00.000Z' }]));
    expect(await alerts()).toEqual([]);
    expect(await alerts(true)).toEqual([expect.objectContaining({ alertname: 'BotDown', status: 'resolved', endsAt: '2026-11-24T12:05:00.000Z' })]);
  });

  it('stores each alert of a grouped notification, and resolves only the ones resolved', async () => {
    const group = [
      { name: 'BotDisconnected', instance: 'bot1.test:8001', startsAt: '2026-11-24T12:00:00.000Z' },
      { name: 'BotDisconnected', instance: 'bot2.test:8001', startsAt: '2026-11-24T12:01:00.000Z' },
      { name: 'BotDisconnected', instance: 'bot3.test:8001', startsAt: '2026-11-24T12:02:00.000Z' },
    ];
    expect((await d.post('/api/alerts', alertmanagerPayload(group))).json).toMatchObject({ received: 3, created: 3 });
    // Alertmanager resends the whole group, one member now resolved and the group still firing.
    const next = alertmanagerPayload([{ ...group[0]!, status: 'resolved', endsAt: '2026-11-24T12:10:00.000Z' }, group[1]!, group[2]!], 'firing');
    expect((await d.post('/api/alerts', next)).json).toMatchObject({ received: 3, updated: 3 });
    expect((await alerts()).map((a) => a.labels.instance)).toEqual(['bot3.test:8001', 'bot2.test:8001']);
  });

  it('dedupes repeated notifications by fingerprint', async () => {
    const payload = alertmanagerPayload([{ name: 'HighErrorRate', fingerprint: 'abc123' }]);
    await d.post('/api/alerts', payload);
    await d.post('/api/alerts', payload);
    expect(await alerts(true)).toHaveLength(1);
  });

  it('does not reopen a resolved alert on a late repeat, but does on a new episode', async () => {
    const start = { name: 'BotDown', fingerprint: 'fp1', startsAt: '2026-11-24T12:00:00.000Z' };
    await d.post('/api/alerts', alertmanagerPayload([start]));
    await d.post('/api/alerts', alertmanagerPayload([{ ...start, status: 'resolved', endsAt: '2026-11-24T12:05:00.000Z' }]));
    expect((await d.post('/api/alerts', alertmanagerPayload([start]))).json).toMatchObject({ ignored: 1 });
    expect(await alerts()).toEqual([]);
    await d.post('/api/alerts', alertmanagerPayload([{ ...start, startsAt: '2026-11-24T13:00:00.000Z' }]));
    expect(await alerts()).toEqual([expect.objectContaining({ fingerprint: 'fp1', startsAt: '2026-11-24T13:00:00.000Z' })]);
  });

  it('derives a stable fingerprint from the labels when Alertmanager sends none', async () => {
    const payload = alertmanagerPayload([{ name: 'BotDown' }]);
    for (const a of payload.alerts) delete (a as { fingerprint?: string }).fingerprint;
    await d.post('/api/alerts', payload);
    await d.post('/api/alerts', payload);
    const stored = await alerts();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });
});
