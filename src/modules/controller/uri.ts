import { Type, type Static } from '@sinclair/typebox';
import { defineControllerModule, type ControllerResult } from '../types.js';
import { STRICT } from '../args.js';
import { trustExtraCaCerts } from '../../shared/extra-ca.js';

export const UriArgs = Type.Object(
  {
    url: Type.String({ minLength: 1, pattern: '^https?://', description: 'http:// or https:// URL, requested from the controller.' }),
    method: Type.Optional(Type.String({ minLength: 1, default: 'GET', description: 'GET, POST, PUT, DELETE, HEAD, PATCH...' })),
    body: Type.Optional(Type.Unknown({ description: 'The request body: text, or with body_format json any value (sent as JSON).' })),
    body_format: Type.Optional(Type.Union([Type.Literal('raw'), Type.Literal('json')], { default: 'raw', description: 'json: send `body` as JSON with content-type application/json.' })),
    headers: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Request headers.' })),
    status_code: Type.Optional(
      Type.Union([Type.Integer(), Type.Array(Type.Integer(), { minItems: 1 })], { default: 200, description: 'The status (or list of them) that counts as success; any other fails the task.' }),
    ),
    return_content: Type.Optional(Type.Boolean({ default: false, description: 'Put the body text in `content` of the result (a JSON body is always in `json`).' })),
    timeout: Type.Optional(Type.Integer({ minimum: 1, default: 30, description: 'Seconds before the request is given up.' })),
  },
  { ...STRICT, description: 'Make an HTTP request from the controller.' },
);

type Args = Static<typeof UriArgs>;

function requestBody(a: Args): { body?: string; type?: string } {
  if (a.body === undefined) return {};
  if (a.body_format === 'json') return { body: typeof a.body === 'string' ? a.body : JSON.stringify(a.body), type: 'application/json' };
  return { body: typeof a.body === 'string' ? a.body : JSON.stringify(a.body) };
}

function parseJson(text: string, contentType: string): unknown {
  if (!/json/i.test(contentType) && !/^\s*[[{]/.test(text)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** One request; a refused connection or a wrong status is a failed result (until/retries may poll), never a crash. */
async function run(a: Args): Promise<ControllerResult> {
  const wanted = Array.isArray(a.status_code) ? a.status_code : [a.status_code ?? 200];
  const { body, type } = requestBody(a);
  const headers: Record<string, string> = { ...(type ? { 'content-type': type } : {}), ...a.headers };
  let res: Response;
  trustExtraCaCerts();
  try {
    res = await fetch(a.url, { method: (a.method ?? 'GET').toUpperCase(), headers, body, signal: AbortSignal.timeout((a.timeout ?? 30) * 1000), redirect: 'follow' });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why = e.name === 'TimeoutError' ? `no answer within ${a.timeout ?? 30} s` : (e.cause?.code ?? e.cause?.message ?? e.message);
    return { failed: true, msg: `Request to ${a.url} failed: ${why}`, data: { status: -1, url: a.url } };
  }
  const text = await res.text();
  const json = parseJson(text, res.headers.get('content-type') ?? '');
  const data: Record<string, unknown> = {
    status: res.status,
    url: res.url || a.url,
    content_type: res.headers.get('content-type') ?? '',
    ...(json !== undefined ? { json } : {}),
    ...(a.return_content ? { content: text } : {}),
  };
  if (!wanted.includes(res.status)) return { failed: true, msg: `Status code was ${res.status} and not [${wanted.join(', ')}]`, data };
  return { msg: `${res.status} ${res.statusText}`.trim(), data };
}

export const uri = defineControllerModule({
  name: 'uri',
  description: 'Make an HTTP request from the controller and check its status; a JSON answer is in `json` of the result. With until/retries it polls a health endpoint.',
  args: UriArgs,
  // a request may change the remote end: a dry run does not send it
  check: 'skip',
  run,
});
