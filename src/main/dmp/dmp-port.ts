import type { IdentityReference } from '../identity/identity-reference';
import type { DmpService } from './dmp-service';

/**
 * The DMP as the session, the handlers and the CLI use it: the embedded `DmpService` on this
 * workstation's own store, or a client of the shared DMP host (issue 13) with the same methods.
 * Callers depend on this type, never on where the dossiers are kept.
 */
export type DmpPort = { [K in keyof DmpService]: DmpService[K] };

/** The identity reference (INSi stand-in), local or on the shared host. */
export type IdentityPort = { [K in keyof IdentityReference]: IdentityReference[K] };
