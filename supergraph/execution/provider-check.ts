// Whether a provider on any stack keeps the gateway-to-provider protocol (docs/provider-protocol.md),
// seen from outside (jointgraph provider-check): one correctly signed call it must accept, then calls
// it must refuse with 401 UNAUTHENTICATED_CALLER, each wrong in one way only. Every refusal probe but
// the replay carries a fresh assertion, so a refusal can come from the property probed alone.

import { ASSERTION_HEADER, REGISTRY_ISSUER, type BoundCall } from '../../protocol/index.ts';
import { assertionSigner, generateCallerKey, type CallerKey } from './caller-assertion.ts';
import { coordinateProbe } from './coordinate-probe.ts';

export type ProbeOutcome = 'PASS' | 'FAIL' | 'NOT PROBED';

export interface ProbeResult {
  probe: string;
  expected: string;
  got: string;
  outcome: ProbeOutcome;
}

export type ProviderCheck = { ok: true; results: ProbeResult[] } | { ok: false; code: 'PROVIDER_UNREACHABLE'; message: string };

export interface ProviderCheckOptions {
  url: string;
  /** The provider's subgraph name: the audience it accepts. */
  name: string;
  /** A key the provider trusts as it trusts the gateway's (the operator's registry key). */
  key: CallerKey;
  /** How long one probe waits for its answer. */
  timeoutMs?: number;
}

const ACCEPTED = '200 accepted';
const REFUSED = '401 UNAUTHENTICATED_CALLER';
const SUBJECT = 'provider-check';
const TYPENAME = '{ __typename }';
/** An assertion issued this long ago expired long since (the gateway signs for 60 s). */
const EXPIRED_BY_MS = 10 * 60_000;

/** A call the checker makes (its body JSON text, or '' for a GET). */
type Call = BoundCall & { body: string };
/** A call as sent: it may differ from the one its assertion was signed for. */
type Sent = Call & { assertion?: string };
interface Answer {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: unknown } }[] } | undefined;
}

const post = (url: string, query: string, extra: object = {}): Call => ({ method: 'POST', url, body: JSON.stringify({ query, ...extra }) });

async function send(call: Sent, timeoutMs: number): Promise<Answer> {
  const response = await fetch(call.url, {
    method: call.method,
    headers: { accept: 'application/json', ...(call.method === 'POST' ? { 'content-type': 'application/json' } : {}), ...(call.assertion ? { [ASSERTION_HEADER]: call.assertion } : {}) },
    ...(call.method === 'POST' ? { body: call.body } : {}),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as Answer['body'] };
  } catch {
    return { status: response.status, body: undefined };
  }
}

/** What came back, in the terms the expectations are written in: `401 UNAUTHENTICATED_CALLER`, `200 accepted`. */
function described({ status, body }: Answer): string {
  const code = body?.errors?.[0]?.extensions?.code;
  if (typeof code === 'string') return `${status} ${code}`;
  if (!body) return `${status} (no GraphQL body)`;
  return status === 200 && body.data ? ACCEPTED : `${status} (no error code)`;
}

const failureOf = (error: unknown) => {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return (error as Error).name === 'TimeoutError' ? 'no answer in time' : (cause?.code ?? cause?.message ?? (error as Error).message);
};

export async function checkProvider({ url, name, key, timeoutMs = 10_000 }: ProviderCheckOptions): Promise<ProviderCheck> {
  const sign = assertionSigner({ key, issuer: REGISTRY_ISSUER });
  /** An assertion for `call`: valid, unless a probe signs it another way. */
  const signed = (call: BoundCall, { by = sign, audience = name, coordinates = [] as readonly string[] } = {}) => by(audience, '', { subject: SUBJECT, coordinates }, call);
  const results: ProbeResult[] = [];
  const probe = async (title: string, expected: string, sent: Sent) => {
    let got: string;
    try {
      got = described(await send(sent, timeoutMs));
    } catch (error) {
      got = `no answer (${failureOf(error)})`;
    }
    results.push({ probe: title, expected, got, outcome: got === expected ? 'PASS' : 'FAIL' });
  };

  // The control, which also reads the SDL the coordinate probe is built from.
  const sdlCall = post(url, '{ _service { sdl } }');
  const control: Sent = { ...sdlCall, assertion: await signed(sdlCall) };
  let answer: Answer;
  try {
    answer = await send(control, timeoutMs);
  } catch (error) {
    return { ok: false, code: 'PROVIDER_UNREACHABLE', message: `Provider "${name}" at ${url} did not answer (${failureOf(error)}).` };
  }
  const sdl = (answer.body?.data?._service as { sdl?: unknown } | undefined)?.sdl;
  const got = described(answer) === ACCEPTED && typeof sdl !== 'string' ? '200 without _service.sdl' : described(answer);
  results.push({ probe: 'a correctly signed call (_service { sdl })', expected: ACCEPTED, got, outcome: got === ACCEPTED ? 'PASS' : 'FAIL' });

  const typename = post(url, TYPENAME);
  await probe('unsigned', REFUSED, typename);
  const stranger = assertionSigner({ key: await generateCallerKey(), issuer: REGISTRY_ISSUER });
  await probe('signed with a key the provider does not trust', REFUSED, { ...typename, assertion: await signed(typename, { by: stranger }) });
  const expired = assertionSigner({ key, issuer: REGISTRY_ISSUER, clock: () => Date.now() - EXPIRED_BY_MS });
  await probe('expired', REFUSED, { ...typename, assertion: await signed(typename, { by: expired }) });
  await probe('for another audience', REFUSED, { ...typename, assertion: await signed(typename, { audience: `not-${name}` }) });
  await probe('replayed (the control sent again)', REFUSED, control);
  await probe('carried with another body', REFUSED, { ...post(url, TYPENAME, { variables: {} }), assertion: await signed(typename) });
  // Signed for this very GET but as a POST: the method is all that differs.
  const get = `${url}${url.includes('?') ? '&' : '?'}query=${encodeURIComponent(TYPENAME)}`;
  await probe('carried with another method (GET)', REFUSED, { method: 'GET', url: get, body: '', assertion: await signed({ method: 'POST', url: get, body: '' }) });
  await probe('signed for another URL', REFUSED, { ...typename, assertion: await signed(post(new URL('/another-provider/graphql', url).href, TYPENAME)) });

  const asking = typeof sdl === 'string' ? coordinateProbe(sdl) : { unavailable: 'the control did not return its SDL' };
  const coordinateName = 'asking a coordinate the assertion does not name';
  if ('unavailable' in asking) {
    results.push({ probe: coordinateName, expected: REFUSED, got: `not probed: ${asking.unavailable}`, outcome: 'NOT PROBED' });
  } else {
    const call = post(url, asking.query);
    await probe(`${coordinateName} (${asking.asked})`, REFUSED, { ...call, assertion: await signed(call, { coordinates: asking.others }) });
  }
  results.push({ probe: 'replayed after a restart', expected: REFUSED, got: 'not probed: needs a restart', outcome: 'NOT PROBED' });
  return { ok: true, results };
}
