import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { Logger } from '../log/logger';
import * as x509 from './x509';

/**
 * Certificate revocation lists (CRLs, RFC 5280 §5) the deployment's authorities publish, as the host
 * checks them: for workstation certificates (AC ORGANISATIONS' CRL, and the root's for the authority
 * itself) and for card certificates (AC PERSONNES' CRL).
 *
 * - A CRL is trusted only once its signature verifies with the key of the certificate's issuer as the
 *   chain being checked presents it (a chain TLS or the proof check has already verified up to a
 *   trusted root); a CRL naming that issuer but not signed by it fails closed.
 * - No CRL configured for an issuer: that issuer's certificates are not checked (`covered: false`).
 *   Configure one CRL per authority that issues leaves.
 * - **Fail closed**: a CRL past its `nextUpdate` (or not yet valid) makes every certificate of its
 *   issuer `unknown`, which the host refuses, logging « CRL expired » with the file and the date.
 * - **Reloaded when the file changes**: every check first compares each file's size and mtime with
 *   the loaded copy (one `stat`, no watcher to miss an atomic rename); a changed file is re-read. A
 *   new copy that cannot be read or parsed is logged and the previous copy stays in force (bounded
 *   by its own `nextUpdate`).
 */
export type RevocationStatus =
  | { status: 'good'; covered: boolean }
  /** `source`: the CRL file, or the OCSP responder's URL, that said so. */
  | { status: 'revoked'; revokedAt: Date; source: string }
  | { status: 'unknown'; why: RevocationUnknown; source: string };

/** Why the status cannot be known (the host then refuses: fail closed). */
export type RevocationUnknown =
  | 'expired'
  | 'not-yet-valid'
  | 'bad-signature'
  /** OCSP (ocsp.ts): no answer in time, or none at all. */
  | 'ocsp-unreachable'
  /** OCSP: an answer that is not a valid, signed, fresh answer about this certificate. */
  | 'ocsp-bad-response'
  /** OCSP: the responder says it does not know the certificate. */
  | 'ocsp-unknown'
  /** OCSP configured, but no responder URL in the configuration nor in the certificate. */
  | 'ocsp-no-url'
  /** The check itself threw (a bug or a broken certificate): refused all the same. */
  | 'check-failed';

/**
 * What the host asks of revocation data, whatever its source: CRLs (`RevocationLists`), OCSP
 * (`OcspClient`, ocsp.ts) or both (`combinedRevocation`).
 */
export interface RevocationCheck {
  status(certificate: x509.X509Certificate, issuer: x509.X509Certificate): Promise<RevocationStatus>;
}

/**
 * CRLs first, then OCSP: revoked or unknown by either is final (fail closed); good only when every
 * configured source says so. Null when neither is configured.
 */
export function combinedRevocation(
  sources: readonly (RevocationCheck | null | undefined)[],
): RevocationCheck | null {
  const present = sources.filter((s): s is RevocationCheck => s !== null && s !== undefined);
  if (present.length === 0) return null;
  if (present.length === 1) return present[0]!;
  return {
    async status(certificate, issuer) {
      let covered = false;
      for (const source of present) {
        const verdict = await source.status(certificate, issuer);
        if (verdict.status !== 'good') return verdict;
        covered ||= verdict.covered;
      }
      return { status: 'good', covered };
    },
  };
}

interface Loaded {
  file: string;
  crl: x509.X509Crl;
  /** Serial numbers, normalised (lower-case hex without leading zeros). */
  revoked: Map<string, Date>;
  stamp: string;
  /** Issuer key fingerprint → signature verified (cached: the CRL does not change under a stamp). */
  verified: Map<string, boolean>;
}

/** Serial numbers compare as integers: Node prints them upper-case and padded, the CRL library does not. */
export function normalizeSerial(serial: string): string {
  return serial
    .replace(/[^0-9a-fA-F]/g, '')
    .toLowerCase()
    .replace(/^0+(?=.)/, '');
}

function stampOf(file: string): string {
  const s = statSync(file);
  return `${s.ino}:${s.size}:${s.mtimeMs}`;
}

function parse(file: string): Loaded {
  const stamp = stampOf(file);
  const text = readFileSync(file);
  const pem = text.toString('latin1');
  const crl = pem.includes('-----BEGIN') ? new x509.X509Crl(pem) : new x509.X509Crl(new Uint8Array(text));
  const revoked = new Map<string, Date>();
  for (const entry of crl.entries) revoked.set(normalizeSerial(entry.serialNumber), entry.revocationDate);
  return { file, crl, revoked, stamp, verified: new Map() };
}

export class CrlFileError extends Error {}

export class RevocationLists implements RevocationCheck {
  private loaded: Loaded[];
  /**
   * The last problem logged per file: each health probe and each certificate check re-reads the
   * files, so an unreadable one is logged when its problem appears or changes, not on every call.
   */
  private readonly reported = new Map<string, string>();

  private constructor(
    private readonly files: readonly string[],
    loaded: Loaded[],
    private readonly log: Logger,
    private readonly now: () => Date,
  ) {
    this.loaded = loaded;
  }

  /** Reads every file now: one that is missing or not a CRL stops the host from starting (French error). */
  static open(files: readonly string[], log: Logger, now: () => Date = () => new Date()): RevocationLists {
    const loaded = files.map((file) => {
      try {
        return parse(file);
      } catch (err) {
        throw new CrlFileError(
          `Liste de révocation (CRL) introuvable ou illisible : ${file} (${err instanceof Error ? err.message : String(err)})`,
        );
      }
    });
    const lists = new RevocationLists(files, loaded, log, now);
    for (const l of loaded) {
      log.info('CRL loaded', {
        file: l.file,
        issuer: l.crl.issuer,
        revoked: l.revoked.size,
        nextUpdate: l.crl.nextUpdate?.toISOString() ?? null,
      });
      lists.warnIfExpired(l);
    }
    return lists;
  }

  private warnIfExpired(l: Loaded): boolean {
    const next = l.crl.nextUpdate;
    if (next && this.now() > next) {
      this.log.error('CRL expired: certificates of its issuer are refused until a fresh CRL is installed', {
        file: l.file,
        issuer: l.crl.issuer,
        nextUpdate: next.toISOString(),
      });
      return true;
    }
    return false;
  }

  /** Re-reads the files whose size or mtime changed since they were loaded. */
  refresh(): void {
    this.loaded = this.loaded.map((current) => {
      let stamp: string;
      try {
        stamp = stampOf(current.file);
      } catch (err) {
        this.reportOnce(current.file, 'CRL file unreadable: keeping the copy loaded before', err);
        return current;
      }
      if (stamp === current.stamp) {
        this.reported.delete(current.file);
        return current;
      }
      try {
        const next = parse(current.file);
        this.reported.delete(current.file);
        this.log.info('CRL reloaded', {
          file: next.file,
          issuer: next.crl.issuer,
          revoked: next.revoked.size,
          nextUpdate: next.crl.nextUpdate?.toISOString() ?? null,
        });
        return next;
      } catch (err) {
        this.reportOnce(
          current.file,
          'CRL file changed but cannot be parsed: keeping the copy loaded before',
          err,
        );
        return current;
      }
    });
  }

  private reportOnce(file: string, msg: string, err: unknown): void {
    const error = err instanceof Error ? err.message : String(err);
    if (this.reported.get(file) === `${msg} ${error}`) return;
    this.reported.set(file, `${msg} ${error}`);
    this.log.error(msg, { file, error });
  }

  /**
   * What the health answer shows of each loaded CRL (host/health.ts), after a reload of changed files.
   * `signatureRejected`: a certificate check found the CRL not signed by the issuer it names, so every
   * certificate of that issuer is being refused (known once a certificate of it has been checked).
   */
  freshness(): {
    issuer: string;
    thisUpdate: Date;
    nextUpdate: Date | null;
    expired: boolean;
    signatureRejected: boolean;
  }[] {
    this.refresh();
    const now = this.now();
    return this.loaded.map((l) => ({
      issuer: l.crl.issuer,
      thisUpdate: l.crl.thisUpdate,
      nextUpdate: l.crl.nextUpdate ?? null,
      expired: (l.crl.nextUpdate !== undefined && now > l.crl.nextUpdate) || now < l.crl.thisUpdate,
      signatureRejected: [...l.verified.values()].includes(false),
    }));
  }

  get fileCount(): number {
    return this.files.length;
  }

  /**
   * Whether `certificate` (issued by `issuer`, as the verified chain presents it) is revoked by a CRL
   * of that issuer. Several CRLs of one issuer: revoked by any of them; unknown if any is unusable.
   */
  async status(certificate: x509.X509Certificate, issuer: x509.X509Certificate): Promise<RevocationStatus> {
    this.refresh();
    const mine = this.loaded.filter((l) => l.crl.issuer === issuer.subject);
    if (mine.length === 0) return { status: 'good', covered: false };
    const serial = normalizeSerial(certificate.serialNumber);
    const issuerKey = createHash('sha256').update(Buffer.from(issuer.publicKey.rawData)).digest('hex');
    const now = this.now();
    for (const l of mine) {
      let valid = l.verified.get(issuerKey);
      if (valid === undefined) {
        try {
          valid = await l.crl.verify({ publicKey: issuer.publicKey });
        } catch {
          valid = false;
        }
        l.verified.set(issuerKey, valid);
      }
      if (!valid) {
        this.log.error('CRL signature does not verify with its issuer’s key: refusing its certificates', {
          file: l.file,
          issuer: l.crl.issuer,
        });
        return { status: 'unknown', why: 'bad-signature', source: l.file };
      }
      if (now < l.crl.thisUpdate) return { status: 'unknown', why: 'not-yet-valid', source: l.file };
      if (this.warnIfExpired(l)) return { status: 'unknown', why: 'expired', source: l.file };
      const revokedAt = l.revoked.get(serial);
      if (revokedAt) return { status: 'revoked', revokedAt, source: l.file };
    }
    return { status: 'good', covered: true };
  }
}
