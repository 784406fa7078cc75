import type { IdentityReference } from '../identity/identity-reference';
import type { DmpService } from './dmp-service';

/**
 * The DMP as the session, the handlers and the CLI use it: the embedded `DmpService` on this
 * workstation's own store, or a client of the shared DMP host (issue 13) with the same methods.
 * Callers depend on this type, never on where the dossiers are kept.
 */
export type DmpPort = { [K in Exclude<keyof DmpService, MaintenanceMethod>]: DmpService[K] };

/**
 * Store maintenance, run by an administrator in the process that holds the store (CLI, host command):
 * never a session's or a workstation's request, so not on the port nor on the shared host's wire.
 */
export const maintenanceMethods = ['staleExtractionCount', 'reextractStored'] as const;
type MaintenanceMethod = (typeof maintenanceMethods)[number];

/** The identity reference (INSi stand-in), local or on the shared host. */
export type IdentityPort = { [K in keyof IdentityReference]: IdentityReference[K] };
