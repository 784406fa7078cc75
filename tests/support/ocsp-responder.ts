import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A real OCSP responder for the tests: `openssl ocsp` in server mode, answering from an OpenSSL
 * `index.txt` the test PKI writes (`writeOcspIndex`), signing with a delegated responder
 * certificate (`issueOcspResponderCertificate`) or any certificate and key the test gives it.
 * `-port 0`: OpenSSL picks a free port and prints it (« ACCEPT [::]:PORT PID=… »). Stopped by its
 * PID, never by name. OpenSSL 3.0's responder reads its index once: after `writeOcspIndex`, call
 * `restart()` (same port, so the URL in certificates and configuration stays right).
 */
export interface OcspResponder {
  url: string;
  pid(): number;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

interface Running {
  child: ChildProcess;
  pid: number;
  port: number;
}

export async function startOcspResponder(options: {
  indexPath: string;
  /** The authority whose certificates it answers for (PEM file). */
  caPath: string;
  signerCertPath: string;
  signerKeyPath: string;
  /** nextUpdate = thisUpdate + this many minutes; absent: no nextUpdate in the answers. */
  nextUpdateMinutes?: number;
  /** Take the place of a stopped responder (same URL); a free port by default. */
  port?: number;
}): Promise<OcspResponder> {
  let running = await spawnResponder(options, options.port ?? 0);
  const stop = (): Promise<void> => {
    const { child, pid } = running;
    return new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      process.kill(pid, 'SIGTERM');
    });
  };
  return {
    url: `http://127.0.0.1:${running.port}/`,
    pid: () => running.pid,
    stop,
    async restart() {
      await stop();
      running = await spawnResponder(options, running.port);
    },
  };
}

async function spawnResponder(
  options: Parameters<typeof startOcspResponder>[0],
  port: number,
): Promise<Running> {
  const args = [
    'ocsp',
    '-index',
    options.indexPath,
    '-port',
    String(port),
    '-rsigner',
    options.signerCertPath,
    '-rkey',
    options.signerKeyPath,
    '-CA',
    options.caPath,
    '-ignore_err',
    ...(options.nextUpdateMinutes !== undefined ? ['-nmin', String(options.nextUpdateMinutes)] : []),
  ];
  const child: ChildProcess = spawn('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const listening = await new Promise<number>((resolve, reject) => {
    const seen = (chunk: Buffer): void => {
      output.push(chunk.toString('utf8'));
      const match = /ACCEPT .*:(\d+) PID=/.exec(output.join(''));
      if (match) resolve(Number(match[1]));
    };
    child.stdout?.on('data', seen);
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`openssl ocsp exited (${String(code)}): ${output.join('').slice(0, 500)}`)),
    );
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('openssl ocsp has no pid');
  return { child, pid, port: listening };
}
