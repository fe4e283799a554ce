import { createHash } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { oneOf } from './validate.js';

/**
 * Alertmanager's webhook body, version 4 (webhook_config). Only the fields we
 * use are required; Alertmanager adds others over time and they are ignored.
 */
const Labels = Type.Record(Type.String(), Type.String());
const Iso = Type.String({ format: 'date-time' });

const AlertSchema = Type.Object({
  status: oneOf<'firing' | 'resolved'>(['firing', 'resolved']),
  labels: Labels,
  annotations: Type.Optional(Labels),
  startsAt: Iso,
  // "0001-01-01T00:00:00Z" while firing: a valid date-time, kept as sent.
  endsAt: Type.Optional(Iso),
  generatorURL: Type.Optional(Type.String()),
  // Alertmanager >= 0.19 sends it; older ones do not (we derive one from the labels).
  fingerprint: Type.Optional(Type.String({ minLength: 1 })),
});

export const AlertmanagerPayloadSchema = Type.Object({
  version: Type.Literal('4'),
  status: oneOf<'firing' | 'resolved'>(['firing', 'resolved']),
  receiver: Type.Optional(Type.String()),
  groupKey: Type.Optional(Type.String()),
  alerts: Type.Array(AlertSchema),
  externalURL: Type.Optional(Type.String()),
});

export type AlertmanagerPayload = Static<typeof AlertmanagerPayloadSchema>;

/** One alert as the dashboard stores it: the latest notification for its fingerprint. */
export interface AlertRow {
  fingerprint: string;
  status: 'firing' | 'resolved';
  alertname: string;
  severity: string;
  summary: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  /** set once resolved */
  endsAt: string | null;
  generatorURL: string | null;
  receivedAt: string;
}

// Alertmanager's "never" endsAt on a firing alert.
const ZERO_TIME = /^0001-01-01/;

/** Alertmanager's fingerprint is a hash of the label set; ours is only used when it sends none. */
function labelFingerprint(labels: Record<string, string>): string {
  const canonical = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join('\u0000');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/** Pure: one row per alert in a (possibly grouped) notification. */
export function alertRows(payload: AlertmanagerPayload, receivedAt: Date): AlertRow[] {
  return payload.alerts.map((a) => {
    const annotations = a.annotations ?? {};
    const endsAt = a.status === 'resolved' && a.endsAt && !ZERO_TIME.test(a.endsAt) ? a.endsAt : null;
    return {
      fingerprint: a.fingerprint ?? labelFingerprint(a.labels),
      status: a.status,
      alertname: a.labels.alertname ?? '(unnamed)',
      severity: a.labels.severity ?? 'none',
      summary: annotations.summary ?? annotations.description ?? '',
      labels: a.labels,
      annotations,
      startsAt: a.startsAt,
      endsAt: a.status === 'resolved' ? (endsAt ?? receivedAt.toISOString()) : null,
      generatorURL: a.generatorURL ?? null,
      receivedAt: receivedAt.toISOString(),
    };
  });
}
