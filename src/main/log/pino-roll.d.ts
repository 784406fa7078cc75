// pino-roll ships no type declarations: the part of its API this project uses.
declare module 'pino-roll' {
  import type { EventEmitter } from 'node:events';

  /** The SonicBoom stream pino-roll returns. */
  export interface RollingStream extends EventEmitter {
    write(chunk: string): boolean;
    flush(cb?: (err?: Error) => void): void;
    flushSync(): void;
    end(): void;
    readonly file: string;
  }

  export interface PinoRollOptions {
    file: string;
    size?: string | number;
    extension?: string;
    limit?: { count: number; removeOtherLogFiles?: boolean };
    mkdir?: boolean;
    /** SonicBoom: file mode of created files. */
    mode?: number;
    sync?: boolean;
    minLength?: number;
  }

  export default function pinoRoll(options: PinoRollOptions): Promise<RollingStream>;
}
