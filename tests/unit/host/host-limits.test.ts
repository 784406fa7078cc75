import { connect as h2Connect, type ClientHttp2Session, type ClientHttp2Stream } from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHostTestPki, type HostTestPki, type Issued } from '../../support/host-test-pki';
import { startTestHost } from '../../support/host-harness';

/**
 * Per-workstation limits: a token bucket per workstation certificate (the clock is frozen here, so
 * counts are exact and nothing depends on the machine's speed) and a cap on requests in progress per
 * connection. A workstation that floods is refused (429, French); another is still answered.
 */
let pki: HostTestPki;
const sessions: ClientHttp2Session[] = [];

beforeAll(() => {
  pki = createHostTestPki();
});
afterAll(() => sessions.forEach((s) => s.destroy()));

function connect(url: string, identity: Issued): ClientHttp2Session {
  const session = h2Connect(url, { ca: pki.caPem, cert: identity.certPem, key: identity.keyPem });
  session.on('error', () => undefined);
  sessions.push(session);
  return session;
}

interface Answer {
  status: number;
  message?: string;
  retryAfter?: string;
}

function hello(session: ClientHttp2Session): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':method': 'POST', ':path': '/api/v1/host.hello' });
    let status = 0;
    let retryAfter: string | undefined;
    const chunks: Buffer[] = [];
    stream.on('response', (headers) => {
      status = Number(headers[':status']);
      retryAfter = headers['retry-after'] as string | undefined;
    });
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { error?: { message: string } };
      resolve({
        status,
        ...(json.error ? { message: json.error.message } : {}),
        ...(retryAfter ? { retryAfter } : {}),
      });
    });
    stream.on('error', reject);
    stream.end('{"args":[]}');
  });
}

describe('rate limit per workstation certificate', () => {
  let host: Awaited<ReturnType<typeof startTestHost>>;
  beforeAll(async () => {
    const frozen = Date.now();
    host = await startTestHost(pki, { now: () => frozen, limits: { requestsPerSecond: 1, burst: 10 } });
  });
  afterAll(async () => host?.close());

  it('refuses what exceeds the bucket with 429 in French, on every connection of that certificate; another workstation is served', async () => {
    const first = connect(host.url, pki.workstation);
    const second = connect(host.url, pki.workstation);
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => hello(i % 2 === 0 ? first : second)),
    );
    const refused = answers.filter((a) => a.status === 429);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(10);
    expect(refused).toHaveLength(20);
    expect(refused[0]).toMatchObject({
      message: expect.stringMatching(/Trop de requêtes envoyées par ce poste/),
      retryAfter: '1',
    });
    // The flood emptied only this certificate's bucket.
    const other = connect(host.url, pki.systemWorkstation);
    expect(await hello(other)).toMatchObject({ status: 200 });
    // Logged once per second of flooding, not once per refusal.
    expect(host.lines.filter((l) => l.includes('workstation rate limited'))).toHaveLength(1);
  });
});

describe('requests in progress per connection', () => {
  let host: Awaited<ReturnType<typeof startTestHost>>;
  beforeAll(async () => {
    host = await startTestHost(pki, { limits: { maxConcurrentStreams: 2 } });
  });
  afterAll(async () => host?.close());

  it('refuses streams beyond the cap while the others hang, and keeps serving other workstations', async () => {
    const flooding = connect(host.url, pki.workstation);
    // Requests whose bodies never end: each holds a place until the host gives up on it.
    const hanging: ClientHttp2Stream[] = [];
    const refusals: string[] = [];
    let fourRefused: () => void = () => undefined;
    const refusedFour = new Promise<void>((resolve) => (fourRefused = resolve));
    const refused = (outcome: string): void => {
      refusals.push(outcome);
      if (refusals.length === 4) fourRefused();
    };
    for (let i = 0; i < 6; i++) {
      const stream = flooding.request({ ':method': 'POST', ':path': '/api/v1/host.hello' });
      hanging.push(stream);
      stream.write('{"args":');
      stream.on('response', (headers) => refused(String(headers[':status'])));
      stream.on('error', (err: Error & { code?: string }) => refused(err.code ?? 'error'));
    }
    // Four of the six are refused (429 from the host, or REFUSED_STREAM from HTTP/2's own cap), while
    // two hold their places …
    await refusedFour;
    expect(refusals.every((r) => r === '429' || /REFUSED|STREAM/.test(r))).toBe(true);
    // … and another workstation is answered meanwhile.
    const other = connect(host.url, pki.systemWorkstation);
    expect(await hello(other)).toMatchObject({ status: 200 });
    expect(refusals).toHaveLength(4);
    for (const stream of hanging) stream.close();
  });
});
