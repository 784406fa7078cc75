/**
 * The one entry to `@peculiar/x509`. The library resolves its ASN.1 helpers through tsyringe, which
 * needs the Reflect metadata polyfill loaded first: importing `@peculiar/x509` anywhere else could run
 * it before the polyfill. It also signs with Node's WebCrypto.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

// The library types it as the DOM `Crypto`, which the main process's TypeScript library lacks.
x509.cryptoProvider.set(webcrypto as never);

export * from '@peculiar/x509';
