/**
 * Typed card errors shared by every layer (codecs, apps, transports, CardService). The message is
 * French and shown to the user; `detail` is technical (English), for logs, and never holds a PIN,
 * a NIR or a name.
 */
export type CardErrorKind =
  | 'removed'
  | 'reset'
  | 'no-card'
  | 'no-reader'
  | 'no-service'
  | 'closed'
  | 'protocol'
  | 'malformed'
  | 'status'
  | 'pin-wrong'
  | 'pin-blocked'
  | 'pin-format'
  | 'not-cpx'
  | 'unsupported'
  | 'io';

const defaultMessages: Record<CardErrorKind, string> = {
  removed: 'La carte a été retirée du lecteur.',
  reset: 'La carte a été réinitialisée par une autre application ; veuillez recommencer.',
  'no-card': 'Aucune carte dans le lecteur.',
  'no-reader': 'Lecteur de cartes introuvable.',
  'no-service': 'Le service des cartes à puce (PC/SC) est indisponible.',
  closed: 'La connexion à la carte est fermée.',
  protocol: 'Erreur de communication avec la carte.',
  malformed: 'La carte a renvoyé des données illisibles.',
  status: 'La carte a refusé la commande.',
  'pin-wrong': 'Code porteur incorrect.',
  'pin-blocked':
    'Carte bloquée : le code porteur a été saisi trop de fois. Débloquez-la avec le code de déblocage (procédure ANS).',
  'pin-format': 'Le code porteur doit comporter de 4 à 8 chiffres.',
  'not-cpx': "La carte présente n'est pas une carte de professionnel (CPS/CPE).",
  unsupported: "Ce type de carte n'est pas pris en charge.",
  io: 'Erreur du lecteur de cartes.',
};

export class CardError extends Error {
  override readonly name = 'CardError';
  readonly kind: CardErrorKind;
  /** Technical detail for logs (English); never a PIN, a NIR or a name. */
  readonly detail: string | undefined;

  constructor(kind: CardErrorKind, options: { message?: string; detail?: string; cause?: unknown } = {}) {
    super(
      options.message ?? defaultMessages[kind],
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.kind = kind;
    this.detail = options.detail;
  }
}

export function isCardError(value: unknown, kind?: CardErrorKind): value is CardError {
  return value instanceof CardError && (kind === undefined || value.kind === kind);
}

export function defaultCardErrorMessage(kind: CardErrorKind): string {
  return defaultMessages[kind];
}
