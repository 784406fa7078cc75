import { connect as tlsConnect } from 'node:tls';
import { connect as h2Connect, type ClientHttp2Session } from 'node:http2';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHostTestPki, type HostTestPki } from '../../support/host-test-pki';
import { startTestHost } from '../../support/host-harness';

let pki: HostTestPki;
let host: Awaited<ReturnType<typeof startTestHost>>;

beforeAll(async () => {
  pki = await createHostTestPki();
  host = await startTestHost(pki);
}, 120_000);
afterAll(async () => host?.close());

/** A raw TLS 1.3 handshake then one read: what a client sees of the host's verdict on its certificate. */
function handshake(options: {
  cert?: string;
  key?: string;
  maxVersion?: 'TLSv1.2' | 'TLSv1.3';
}): Promise<string> {
  return new Promise((resolve) => {
    const socket = tlsConnect({
      host: '127.0.0.1',
      port: host.port,
      servername: 'localhost',
      ca: pki.caPem,
      ALPNProtocols: ['h2'],
      ...(options.cert ? { cert: options.cert, key: options.key } : {}),
      ...(options.maxVersion ? { maxVersion: options.maxVersion } : {}),
    });
    socket.on('error', (err: Error & { code?: string }) => resolve(err.code ?? err.message));
    socket.on('close', () => resolve('closed'));
    // TLS 1.3: the server's refusal of the client certificate arrives after the client's "connect";
    // a certificate OpenSSL accepts but Node's chain check refuses is met with a closed connection.
    socket.on('secureConnect', () => setTimeout(() => resolve(socket.destroyed ? 'closed' : 'open'), 1_000));
    socket.on('data', () => undefined);
  });
}

describe('host TLS: mutual authentication with the deployment CA, TLS 1.3 only', () => {
  it('refuses at the handshake a client without a certificate', async () => {
    expect(await handshake({})).toBe('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
  });

  it('refuses at the handshake a certificate from another CA', async () => {
    const { certPem, keyPem } = pki.foreignWorkstation;
    const before = host.lines.length;
    expect(await handshake({ cert: certPem, key: keyPem })).toMatch(
      /^(closed|ECONNRESET|ERR_SSL_.*ALERT.*)$/,
    );
    const logged = host.lines.slice(before).join('\n');
    expect(logged).toMatch(/TLS handshake refused/);
    expect(logged).not.toMatch(/workstation connected/);
  });

  it('refuses TLS 1.2', async () => {
    const { certPem, keyPem } = pki.workstation;
    expect(await handshake({ cert: certPem, key: keyPem, maxVersion: 'TLSv1.2' })).toMatch(
      /PROTOCOL_VERSION/,
    );
  });

  it('accepts a deployment workstation certificate', async () => {
    const { certPem, keyPem } = pki.workstation;
    expect(await handshake({ cert: certPem, key: keyPem })).toBe('open');
  });

  it('connectToHost reports refused (French) for a foreign certificate, and no DMP call goes anywhere', async () => {
    const client = await host.client(pki.foreignWorkstation);
    expect(client.status()).toMatchObject({
      state: 'refused',
      message: expect.stringMatching(/certificat de ce poste/),
    });
    await expect(
      client.dmp.searchDossiers({ insKey: '279035121518989@1.2.250.1.213.1.4.10' }),
    ).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
  });

  it('closes the connection of a certificate from the deployment CA that is not a workstation’s (a card’s)', async () => {
    const before = host.lines.length;
    const client = await host.client(pki.notWorkstation);
    expect(client.status().state).not.toBe('connected');
    expect(host.lines.slice(before).join('\n')).toMatch(/connection refused: not a workstation certificate/);
  });

  it('connectToHost refuses a host whose certificate is not from the deployment CA the workstation trusts', async () => {
    const client = await host.client(pki.workstation, pki.foreignCaPem);
    expect(client.status()).toMatchObject({
      state: 'refused',
      message: expect.stringMatching(/Serveur DMP non reconnu/),
    });
  });

  it('connectToHost reports unreachable for a port nobody listens on', async () => {
    const { connectToHost } = await import('../../../src/main/host-client');
    const { createLogger } = await import('../../../src/main/log/logger');
    const client = await connectToHost({
      url: 'https://127.0.0.1:1',
      caPem: pki.caPem,
      certPem: pki.workstation.certPem,
      keyPem: pki.workstation.keyPem,
      log: createLogger({ sink: () => undefined }),
    });
    try {
      expect(client.status()).toMatchObject({
        state: 'unreachable',
        message: 'Serveur DMP injoignable — aucune donnée affichée.',
      });
      await expect(client.dmp.professionals('279035121518989@1.2.250.1.213.1.4.10')).rejects.toMatchObject({
        code: 'UNAVAILABLE',
      });
    } finally {
      await client.close();
    }
  });
});

/** One raw HTTP/2 request on an accepted connection: what a broken or hostile client can send. */
function raw(
  session: ClientHttp2Session,
  path: string,
  body: string | Buffer,
  method = 'POST',
): Promise<{ status: number; json: { ok: boolean; error?: { code: string; message: string } } }> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':method': method, ':path': path, 'content-type': 'application/json' });
    let status = 0;
    const chunks: Buffer[] = [];
    stream.on('response', (headers) => (status = Number(headers[':status'])));
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      try {
        resolve({ status, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      } catch (err) {
        reject(err);
      }
    });
    stream.on('error', reject);
    stream.end(method === 'GET' ? undefined : body);
  });
}

describe('host hardening: bad requests are refused in French, the host keeps answering', () => {
  let session: ClientHttp2Session;
  beforeAll(() => {
    session = h2Connect(host.url, {
      ca: pki.caPem,
      cert: pki.workstation.certPem,
      key: pki.workstation.keyPem,
      minVersion: 'TLSv1.3',
    });
    session.on('error', () => undefined);
  });
  afterAll(() => session.close());

  it('refuses malformed, oversized, deep, unknown and ill-typed requests, then still answers', async () => {
    const cases: [string, string | Buffer, number, RegExp][] = [
      ['/api/v1/host.hello', '{"args": [', 400, /illisible/],
      ['/api/v1/host.hello', '['.repeat(40) + ']'.repeat(40), 400, /imbriquée/],
      ['/api/v1/dmp.searchDossiers', Buffer.alloc(70 * 1024, 0x20), 413, /volumineuse/],
      ['/api/v1/fs.readFile', '{"args":[]}', 404, /inconnue/],
      ['/api/v1/constructor', '{"args":[]}', 404, /inconnue/],
      ['/etc/passwd', '{"args":[]}', 404, /inconnue/],
      ['/api/v1/dmp.searchDossiers', '{"args":[{"insKey":42}]}', 400, /Requête invalide/],
      ['/api/v1/dmp.searchDossiers', '{"args":[],"extra":true}', 400, /Requête invalide/],
      ['/api/v1/host.hello', '"just a string"', 400, /Requête invalide/],
      ['/api/v1/host.hello', '\u00ff\u00fe', 400, /illisible/],
    ];
    for (const [path, body, status, message] of cases) {
      const reply = await raw(session, path, body);
      expect({ path, status: reply.status }).toEqual({ path, status });
      expect(reply.json.ok).toBe(false);
      expect(reply.json.error?.message).toMatch(message);
    }
    expect((await raw(session, '/api/v1/host.hello', '', 'GET')).status).toBe(405);
    const hello = await raw(session, '/api/v1/host.hello', '{"args":[]}');
    expect(hello).toMatchObject({ status: 200, json: { ok: true } });
  });

  it('refuses a write without a request id, and applies a retried write once', async () => {
    const gateway = h2Connect(host.url, {
      ca: pki.caPem,
      cert: pki.systemWorkstation.certPem,
      key: pki.systemWorkstation.keyPem,
    });
    gateway.on('error', () => undefined);
    try {
      const record = {
        matricule: '279035121518989',
        oid: '1.2.250.1.213.1.4.10',
        birthName: 'TEST',
        firstNames: 'Retry',
        birthDate: '1979-03-28',
        sex: 'F',
        birthPlaceCode: '75123',
      };
      const withoutId = await raw(
        gateway,
        '/api/v1/identities.register',
        JSON.stringify({ args: [[record]] }),
      );
      expect(withoutId.status).toBe(400);
      expect(withoutId.json.error?.message).toMatch(/identifiant de requête/);
      const requestId = randomUUID();
      const body = JSON.stringify({ args: [[record]], requestId });
      const first = await raw(gateway, '/api/v1/identities.register', body);
      const again = await raw(gateway, '/api/v1/identities.register', body);
      expect([first.status, again.status]).toEqual([200, 200]);
      const other = await raw(gateway, '/api/v1/dmp.verifyAudit', JSON.stringify({ args: [], requestId }));
      expect(other.status).toBe(200);
      const reused = await raw(
        gateway,
        '/api/v1/identities.register',
        JSON.stringify({ args: [[]], requestId: randomUUID() }),
      );
      expect(reused.status).toBe(200);
      const misused = await raw(
        gateway,
        '/api/v1/dmp.refuseImportFile',
        JSON.stringify({ args: ['x', 'y'], requestId }),
      );
      expect(misused).toMatchObject({
        status: 409,
        json: { error: { message: expect.stringMatching(/déjà servi/) } },
      });
    } finally {
      gateway.close();
    }
  });
});
