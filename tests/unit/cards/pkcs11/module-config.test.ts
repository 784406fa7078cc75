import { describe, expect, it } from 'vitest';
import { isCardError } from '../../../../src/main/cards/errors';
import { resolvePkcs11Module } from '../../../../src/main/cards/pkcs11';

const cryptolib = '/usr/local/galss/libcps3_pkcs11_lux.so';
const opensc = '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so';
const softhsm = '/usr/lib/softhsm/libsofthsm2.so';

describe('where the workstation finds the PKCS#11 module', () => {
  it('takes the setting first, then the environment', () => {
    const env = { POSTE_DMP_PKCS11_MODULE: opensc };
    expect(resolvePkcs11Module({ modulePath: cryptolib, production: true }, env, () => false)).toEqual({
      modulePath: cryptolib,
      source: 'settings',
    });
    expect(resolvePkcs11Module({ production: true }, env, () => false)).toEqual({
      modulePath: opensc,
      source: 'environment',
    });
  });

  it('defaults to SoftHSM2 on a test workstation, even when CryptoLib is installed', () => {
    expect(resolvePkcs11Module({ production: false }, {}, () => true)).toEqual({
      modulePath: softhsm,
      source: 'test default',
    });
  });

  it('looks for CryptoLib, then OpenSC, on a production workstation', () => {
    expect(
      resolvePkcs11Module({ production: true }, {}, (path) => path === cryptolib || path === opensc)
        .modulePath,
    ).toBe(cryptolib);
    expect(resolvePkcs11Module({ production: true }, {}, (path) => path === opensc).modulePath).toBe(opensc);
  });

  it('refuses in French a production workstation without a module, or with SoftHSM2', () => {
    const none: unknown = (() => {
      try {
        return resolvePkcs11Module({ production: true }, {}, () => false);
      } catch (error) {
        return error;
      }
    })();
    expect(isCardError(none, 'no-service')).toBe(true);
    expect((none as Error).message).toContain('cryptolib CPS');
    expect(() => resolvePkcs11Module({ modulePath: softhsm, production: true }, {}, () => true)).toThrow(
      /SoftHSM2/,
    );
    expect(() =>
      resolvePkcs11Module({ softhsmConf: '/tmp/x.conf', production: true }, {}, () => true),
    ).toThrow(/SoftHSM2/);
  });

  it('points SoftHSM2 at a test deployment’s configuration', () => {
    const env: Record<string, string> = {};
    resolvePkcs11Module(
      { softhsmConf: '/srv/deploiement/softhsm/softhsm2.conf', production: false },
      env,
      () => false,
    );
    expect(env.SOFTHSM2_CONF).toBe('/srv/deploiement/softhsm/softhsm2.conf');
  });
});
