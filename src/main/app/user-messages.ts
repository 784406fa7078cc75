import { basename } from 'node:path';
import { ApiError, type ApiErrorCode } from '../../shared/contract/api-error';
import { StoreError, type StoreErrorFacts, type StoreErrorReason, type StoreNotice } from '../store/errors';

/**
 * The French the user reads about the local store, in one place. The store reports reasons and
 * facts (errors.ts); every boundary — the bridge dispatcher (desktop app and browser host), the
 * CLI, the browser host's start-up, the composition's warnings — words them through this table.
 */

/** Where to point the user when the store cannot be opened as is. */
export const manualRestoreHint =
  'Restauration manuelle : fermez l’application, conservez une copie du dossier de données, ' +
  'puis remplacez le fichier « snapshot » par « snapshot.prev » (ou par une sauvegarde) et relancez.';

/** What the administrator runs to seal the values of a host database created in clear or sealed in version 1. */
export const sealExistingCommand = 'npm run host -- seal-existing --config FICHIER';

const updateTheApp = 'Mettez l’application à jour.';
const useOriginalKey = 'Utilisez la clé d’origine ou sa copie de secours.';

interface StoreErrorWording {
  /** The contract code the error crosses the bridge with. */
  code: ApiErrorCode;
  message(facts: StoreErrorFacts): string;
}

const storeErrorWording: Record<StoreErrorReason, StoreErrorWording> = {
  WRONG_KEY: {
    code: 'CORRUPT_DATA',
    message: (f) =>
      f.subject === 'journal'
        ? `La clé de chiffrement ne correspond pas au journal des données. ${useOriginalKey}`
        : f.subject === 'field-key'
          ? 'Clé de chiffrement des champs différente de celle de la base : le serveur ne démarre pas. ' +
            'Configurez le fichier de clé avec lequel la base a été scellée (fieldKeyFile, le même sur tous les serveurs).'
          : f.subject === 'audit-key'
            ? `Clé du journal d’audit différente de celle de la base : ${f.path ?? 'audit.key'}. Le serveur ne démarre pas ` +
              'et rien n’a été écrit : des entrées signées avec une autre clé ne seraient vérifiables par personne. ' +
              'Tous les serveurs d’une même base utilisent le même fichier de clé d’audit (auditKeyFile) : ' +
              'copiez celui des serveurs déjà en service (ou sa copie de secours).'
            : f.subject === 'sealed-field'
              ? 'Des données chiffrées ne peuvent pas être lues : clé de chiffrement différente ou données altérées.'
              : `La clé de chiffrement ne correspond pas à ces données : elles ne peuvent pas être ouvertes avec cette clé. ${useOriginalKey}`,
  },
  FOREIGN_FILE: {
    code: 'CORRUPT_DATA',
    message: (f) =>
      f.subject === 'journal'
        ? `Un fichier du journal des données n’a pas été créé par Poste DMP. ${manualRestoreHint}`
        : `Le fichier de données n’a pas été créé par Poste DMP ; il n’a pas été ouvert. ${manualRestoreHint}`,
  },
  UNSUPPORTED_VERSION: {
    code: 'UNSUPPORTED',
    message: (f) =>
      f.subject === 'journal'
        ? `Le journal des données a été écrit par une version plus récente de Poste DMP. ${updateTheApp}`
        : `Les données ont été enregistrées par une version plus récente de Poste DMP. ${updateTheApp}`,
  },
  CORRUPT_SNAPSHOT: {
    code: 'CORRUPT_DATA',
    message: () => `Le fichier de données est endommagé ou incomplet. ${manualRestoreHint}`,
  },
  CORRUPT_JOURNAL: {
    code: 'CORRUPT_DATA',
    message: () => `Le journal des données est endommagé. ${manualRestoreHint}`,
  },
  MISSING_FILE: {
    code: 'CORRUPT_DATA',
    message: (f) => {
      switch (f.subject) {
        case 'store':
          return 'Aucune donnée n’a été trouvée dans ce dossier.';
        case 'key-file':
          return `Le fichier de clé « ${f.path ?? 'store.key'} » est introuvable.`;
        case 'latest-journal':
          return `Le journal des données le plus récent est introuvable. ${manualRestoreHint}`;
        case 'journal-part':
          return `Une partie du journal des données est introuvable. ${manualRestoreHint}`;
        default:
          return `Le fichier principal des données est introuvable alors que son journal existe. ${manualRestoreHint}`;
      }
    },
  },
  TOO_NEW: {
    code: 'UNSUPPORTED',
    message: () =>
      `Ces données ont été enregistrées par une version plus récente de Poste DMP. ${updateTheApp}`,
  },
  MIGRATION_FAILED: {
    code: 'INTERNAL',
    message: (f) =>
      f.subject === 'migration-list'
        ? 'La mise à jour du schéma des données est invalide.'
        : 'La mise à jour du schéma des données a échoué ; les données n’ont pas été modifiées.',
  },
  REPLAY_FAILED: {
    code: 'CORRUPT_DATA',
    message: () => `Le journal des données n’a pas pu être rejoué. ${manualRestoreHint}`,
  },
  SQL: {
    code: 'INTERNAL',
    message: (f) =>
      f.subject === 'read'
        ? 'La lecture des données a échoué.'
        : f.subject === 'write'
          ? 'L’enregistrement a échoué ; aucune modification n’a été faite.'
          : 'Requête invalide vers le stockage local.',
  },
  READ_ONLY_VIOLATION: {
    code: 'INTERNAL',
    message: (f) =>
      f.subject === 'read-only-store'
        ? 'Le stockage est ouvert en lecture seule.'
        : 'Opération de lecture invalide.',
  },
  IO: {
    code: 'UNAVAILABLE',
    message: (f) =>
      f.subject === 'write'
        ? 'Le stockage local n’a pas pu enregistrer la dernière modification (disque plein ou indisponible). Redémarrez l’application.'
        : f.subject === 'database'
          ? 'La base de données est injoignable.'
          : 'Erreur inattendue du stockage local.',
  },
  LOCKED: {
    code: 'LOCKED',
    message: (f) => {
      const holder =
        f.pid === undefined ? 'contenu illisible' : `processus ${f.pid}${f.host ? ` sur ${f.host}` : ''}`;
      return (
        `Le dossier de données est déjà utilisé par une autre instance de Poste DMP (${holder}). ` +
        `Fermez-la puis réessayez. Fichier de verrou : ${f.path ?? 'LOCK'}`
      );
    },
  },
  CLOSED: {
    code: 'UNAVAILABLE',
    message: (f) =>
      f.subject === 'database' ? 'La base de données est fermée.' : 'Le stockage local est fermé.',
  },
  WORKER_FAILED: {
    code: 'UNAVAILABLE',
    message: () => 'Le stockage local s’est arrêté de manière inattendue. Redémarrez l’application.',
  },
  KEY_INVALID: {
    code: 'CORRUPT_DATA',
    message: (f) => {
      switch (f.subject) {
        case 'key-file':
          return 'Le fichier de clé de chiffrement est illisible ou endommagé.';
        case 'wrapped-key-file':
          return 'Le fichier de clé protégée est illisible ou endommagé.';
        case 'recovery-key':
          return 'La clé de secours saisie est invalide (64 caractères hexadécimaux attendus).';
        default:
          return 'La clé de chiffrement des données est invalide.';
      }
    },
  },
  KEY_MISSING: {
    code: 'CORRUPT_DATA',
    message: (f) =>
      f.subject === 'field-key'
        ? 'La base est scellée (colonnes chiffrées) mais aucune clé de chiffrement des champs n’est configurée : ' +
          'le serveur ne démarre pas. Configurez le fichier de clé avec lequel la base a été scellée.'
        : f.subject === 'audit-key'
          ? `Fichier de clé introuvable : ${f.path ?? 'audit.key'}. C’est la clé du journal d’audit : sans elle, les entrées ` +
            'existantes ne peuvent plus être authentifiées ni le journal prolongé ; restaurez ce fichier (ou sa copie de secours). ' +
            'Aucune nouvelle clé n’a été créée.'
          : `Fichier de clé introuvable : ${f.path ?? 'store.key'}. Les données existantes ne peuvent pas être lues sans lui ; ` +
            'restaurez ce fichier (ou la copie de secours de la clé). Aucune nouvelle clé n’a été créée.',
  },
  NO_STORE: {
    code: 'NOT_FOUND',
    message: (f) =>
      `Aucune donnée Poste DMP dans ${f.path ?? 'ce dossier'} (pas de stockage « store »). ` +
      'Vérifiez le dossier de données indiqué ; rien n’a été créé.',
  },
  NOT_A_DATA_FOLDER: {
    code: 'INVALID_INPUT',
    message: (f) =>
      `${f.path ?? 'Ce dossier'} contient directement les fichiers du stockage chiffré : c’est le dossier « ${basename(f.path ?? 'store')} » ` +
      'd’un dossier de données, pas le dossier de données lui-même. ' +
      `Indiquez le dossier qui le contient : --data ${f.suggestedPath ?? '..'}`,
  },
  KEY_UNWRAP_FAILED: {
    code: 'CORRUPT_DATA',
    message: (f) =>
      f.recordedBackend !== undefined
        ? `La clé de chiffrement a été protégée par le trousseau « ${f.recordedBackend} », qui n’est plus celui utilisé (« ${f.currentBackend ?? '?'} »). ` +
          'Relancez avec le même trousseau ou utilisez la copie de secours de la clé.'
        : 'Le trousseau du système n’a pas pu déchiffrer la clé des données. Utilisez la copie de secours de la clé.',
  },
  NOT_SEALED: {
    code: 'UNSUPPORTED',
    message: () =>
      'La base contient des données enregistrées avant son scellement (en clair ou dans l’ancien format de chiffrement) : ' +
      `le serveur ne démarre pas. Arrêtez les serveurs, sauvegardez la base, puis lancez une fois « ${sealExistingCommand} » ` +
      '(la configuration du serveur) avant de redémarrer.',
  },
};

/** The French message for a store error. */
export function storeErrorMessage(err: StoreError): string {
  return storeErrorWording[err.reason].message(err.facts);
}

/**
 * What a boundary sends or shows for an error: a StoreError becomes the ApiError its reason maps
 * to (French message, reason and detail kept for the log); an ApiError is already worded; anything
 * else is not for the user (null).
 */
export function toApiError(err: unknown): ApiError | null {
  if (err instanceof ApiError) return err;
  if (err instanceof StoreError) {
    const wording = storeErrorWording[err.reason];
    return new ApiError(
      wording.code,
      wording.message(err.facts),
      err.detail ? `${err.reason}: ${err.detail}` : err.reason,
    );
  }
  return null;
}

/** The French sentence for a recovery notice of a store open. */
export function recoveryNoticeMessage(notice: StoreNotice): string {
  switch (notice.kind) {
    case 'previous-snapshot-used':
      return (
        'Le fichier principal des données était endommagé ou absent : les données ont été reconstituées à partir de la copie précédente et du journal.' +
        (notice.quarantined
          ? ` Le fichier endommagé a été conservé sous le nom « ${notice.quarantined} ».`
          : '')
      );
    case 'snapshot-without-journal':
      return 'Les données ont été ouvertes à partir du seul fichier principal, sans journal : les dernières modifications peuvent manquer.';
    case 'journal-tail-dropped':
      return 'La dernière modification, interrompue avant d’avoir été confirmée, a été annulée.';
  }
}

/** Shown whenever the key sits in a plain file (browser host, CLI). */
export const plainKeyFileWarning =
  'Clé de chiffrement stockée en clair dans un fichier : protégez ce poste (session verrouillée, ' +
  'disque chiffré) ou utilisez l’application de bureau, qui protège la clé par le trousseau du système.';

/** The desktop app found no secure OS keyring and the administrator has not accepted running without. */
export const insecureKeyringMessage =
  'Aucun trousseau sécurisé du système n’est disponible pour protéger la clé de chiffrement. ' +
  'Déverrouillez ou installez un trousseau (GNOME Keyring, KWallet), ou confirmez explicitement le mode dégradé.';
