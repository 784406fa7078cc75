import { connect as connectSocket } from 'node:net';

export type PcscdProbeResult = 'alive' | 'absent' | 'unresponsive';

const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';
const CMD_VERSION = 0x11;
/** pcsc-lite 1.8.x–2.x speak 4.4; a different server answers with its own version, which is enough. */
const PROTOCOL_VERSION = { major: 4, minor: 4 };

/**
 * Asks pcscd for its protocol version over its socket, asynchronously. The addon establishes its
 * context synchronously on the JS thread and a frozen pcscd blocks that call forever (observed with
 * SIGSTOP): checking first keeps the app responsive. A race remains if pcscd freezes in between.
 */
export function probePcscd(
  options: { socketPath?: string; timeoutMs?: number } = {},
): Promise<PcscdProbeResult> {
  const socketPath = options.socketPath ?? process.env.PCSCLITE_CSOCK_NAME ?? PCSCD_SOCKET;
  return new Promise((resolve) => {
    const socket = connectSocket(socketPath);
    let received = 0;
    const finish = (result: PcscdProbeResult): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish('unresponsive'), options.timeoutMs ?? 1_500);
    socket.once('connect', () => {
      const message = Buffer.alloc(20);
      message.writeUInt32LE(12, 0);
      message.writeUInt32LE(CMD_VERSION, 4);
      message.writeInt32LE(PROTOCOL_VERSION.major, 8);
      message.writeInt32LE(PROTOCOL_VERSION.minor, 12);
      socket.write(message);
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received >= 12) finish('alive');
    });
    socket.once('error', () => finish('absent'));
    socket.once('close', () => finish(received >= 12 ? 'alive' : 'absent'));
  });
}
