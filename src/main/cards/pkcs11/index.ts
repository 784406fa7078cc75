export { openCardSigner, type CardSigner, type OpenCardSignerOptions } from './signer';
export {
  resolvePkcs11Module,
  pkcs11ModuleEnv,
  productionModuleCandidates,
  type Pkcs11ModuleSettings,
  type ResolvedPkcs11Module,
} from './module-config';
