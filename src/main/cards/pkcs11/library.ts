import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Pkcs11Js from 'pkcs11js';
import { CardError } from '../errors';

export type Pkcs11Module = typeof Pkcs11Js;
export type Pkcs11 = Pkcs11Js.PKCS11;
export type Pkcs11Handle = Pkcs11Js.Handle;

let loadedModule: Pkcs11Module | undefined;

/** pkcs11js is a native addon: required lazily so that a workstation without it still starts. */
export function pkcs11Module(): Pkcs11Module {
  loadedModule ??= createRequire(import.meta.url)('pkcs11js') as Pkcs11Module;
  return loadedModule;
}

/** The PKCS#11 error code of a pkcs11js failure (0 when it is not one). */
export function pkcs11Code(error: unknown): number {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'number') {
    return error.code;
  }
  return 0;
}

export function describePkcs11Failure(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

interface OpenLibrary {
  pkcs11: Pkcs11;
  users: number;
}

/**
 * A PKCS#11 library is initialised once per process: a second C_Initialize answers
 * CKR_CRYPTOKI_ALREADY_INITIALIZED, and one user's C_Finalize would pull the library from under
 * another. So libraries are shared and counted: the first user loads and initialises, the last one
 * finalises and unloads.
 */
const openLibraries = new Map<string, OpenLibrary>();

export interface LibraryLease {
  pkcs11: Pkcs11;
  release(): void;
}

export function acquireLibrary(modulePath: string): LibraryLease {
  const open = openLibraries.get(modulePath) ?? initialise(modulePath);
  open.users += 1;
  let released = false;
  return {
    pkcs11: open.pkcs11,
    release: () => {
      if (released) return;
      released = true;
      open.users -= 1;
      if (open.users > 0) return;
      openLibraries.delete(modulePath);
      try {
        open.pkcs11.C_Finalize();
      } finally {
        open.pkcs11.close();
      }
    },
  };
}

/** How many users hold a library open (tests check that closing really finalises). */
export function libraryUsers(modulePath: string): number {
  return openLibraries.get(modulePath)?.users ?? 0;
}

function initialise(modulePath: string): OpenLibrary {
  if (!existsSync(modulePath)) {
    throw new CardError('no-service', {
      message: `Module PKCS#11 des cartes introuvable (${modulePath}) : vérifiez l’installation de la cryptolib CPS ou la configuration du poste.`,
      detail: `PKCS#11 module not found: ${modulePath}`,
    });
  }
  const module = pkcs11Module();
  const pkcs11 = new module.PKCS11();
  try {
    pkcs11.load(modulePath);
  } catch (error) {
    throw new CardError('no-service', {
      message: `Le module PKCS#11 des cartes (${modulePath}) ne peut pas être chargé : vérifiez l’installation de la cryptolib CPS.`,
      detail: `PKCS#11 module load failed: ${describePkcs11Failure(error)}`,
      cause: error,
    });
  }
  try {
    pkcs11.C_Initialize();
  } catch (error) {
    if (pkcs11Code(error) !== module.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
      pkcs11.close();
      throw new CardError('no-service', {
        message: 'Le module PKCS#11 des cartes ne démarre pas : vérifiez sa configuration.',
        detail: `C_Initialize failed: ${describePkcs11Failure(error)}`,
        cause: error,
      });
    }
  }
  const open = { pkcs11, users: 0 };
  openLibraries.set(modulePath, open);
  return open;
}
