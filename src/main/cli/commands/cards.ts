import type { Beneficiary, CardInfo } from '../../../shared/contract/cards';
import { atrHex } from '../../cards/atr';
import { CardError } from '../../cards/errors';
import { readCardInfo } from '../../cards/read-card';
import type { CardTransport } from '../../cards/transport/card-transport';
import type { Logger } from '../../log/logger';
import { silentLogger } from '../../log/logger';

/**
 * `cards [--json]`: what pcscd sees right now — every reader and the card in it, decoded without
 * asking for any PIN. A support tool run locally by staff: NIRs are printed, never logged.
 */

export const EXIT_OK = 0;
export const EXIT_USAGE = 1;
export const EXIT_NO_SERVICE = 2;

type CardJson =
  | (Omit<Extract<CardInfo, { kind: 'vitale' }>, 'beneficiaries'> & {
      beneficiaries: Omit<Beneficiary, 'index'>[];
    })
  | Exclude<CardInfo, { kind: 'vitale' }>;

export interface ReaderReport {
  name: string;
  card: CardJson | null;
  /** French; set when a card is present but could not be read. */
  error?: string;
}

export interface CardsReport {
  readers: ReaderReport[];
}

export interface CardsCommandDeps {
  /** Defaults to the real pcscd transport (loaded lazily so `--help` needs no native addon). */
  createTransport?: () => Promise<CardTransport & { isServiceAvailable?(): boolean }>;
  log?: Logger;
}

const NO_SERVICE_MESSAGE =
  'Le service des cartes à puce (pcscd) ne fonctionne pas : aucun lecteur ne peut être interrogé.\n' +
  'Démarrez-le (par exemple « sudo systemctl start pcscd ») puis relancez la commande.';

export async function cardsCommand(
  args: string[],
  out: (s: string) => void,
  deps: CardsCommandDeps = {},
): Promise<number> {
  const json = args.includes('--json');
  if (args.includes('--help') || args.includes('-h')) {
    out(
      'Usage : cards [--json]\n  Liste les lecteurs de cartes et décode les cartes présentes (aucun code demandé).',
    );
    return EXIT_OK;
  }
  const log = deps.log ?? silentLogger;
  const transport = await (deps.createTransport ?? defaultTransport(log))();
  try {
    try {
      await transport.start();
    } catch (error) {
      log.warn('card transport failed to start', {
        error: error instanceof Error ? error.message : String(error),
      });
      out(NO_SERVICE_MESSAGE);
      return EXIT_NO_SERVICE;
    }
    if (transport.isServiceAvailable && !transport.isServiceAvailable()) {
      out(NO_SERVICE_MESSAGE);
      return EXIT_NO_SERVICE;
    }
    const report = await collectReport(transport, log);
    out(json ? JSON.stringify(report) : formatReport(report));
    return EXIT_OK;
  } finally {
    await transport.stop();
  }
}

function defaultTransport(log: Logger): () => Promise<CardTransport & { isServiceAvailable(): boolean }> {
  return async () => {
    const { PcscliteTransport } = await import('../../cards/transport/pcsclite-transport');
    // The CLI reports once and exits: a short start-up wait, no need to linger on a dead pcscd.
    return new PcscliteTransport({ log: log.child('pcsc'), startupSettleMs: 3_000 });
  };
}

export async function collectReport(
  transport: CardTransport,
  log: Logger = silentLogger,
): Promise<CardsReport> {
  const readers: ReaderReport[] = [];
  for (const reader of transport.readers()) {
    if (reader.atr === null) {
      readers.push({ name: reader.name, card: null });
      continue;
    }
    try {
      readers.push({ name: reader.name, card: toJson(await readOne(transport, reader.name)) });
    } catch (error) {
      const message =
        error instanceof CardError ? error.message : 'Erreur inattendue pendant la lecture de la carte.';
      log.warn('card read failed', {
        reader: reader.name,
        kind: error instanceof CardError ? error.kind : 'unexpected',
        detail:
          error instanceof CardError
            ? (error.detail ?? null)
            : error instanceof Error
              ? error.message
              : String(error),
      });
      readers.push({
        name: reader.name,
        card: { kind: 'unknown', atr: atrHex(reader.atr), reason: message },
        error: message,
      });
    }
  }
  return { readers };
}

async function readOne(transport: CardTransport, reader: string): Promise<CardInfo> {
  const session = await transport.connect(reader);
  try {
    return await readCardInfo(session);
  } finally {
    // Reset after reading, as Rufus does: nothing we selected stays current for the next client.
    await session.close('reset').catch(() => undefined);
  }
}

function toJson(card: CardInfo): CardJson {
  if (card.kind !== 'vitale') return card;
  return {
    ...card,
    beneficiaries: card.beneficiaries.map((b) => ({
      lastName: b.lastName,
      firstName: b.firstName,
      birthDate: b.birthDate,
      nir: b.nir,
      nirKeyValid: b.nirKeyValid,
    })),
  };
}

const kindLabels: Record<CardJson['kind'], string> = {
  vitale: 'Carte Vitale',
  cps: 'CPS (carte de professionnel de santé)',
  cpe: 'CPE (carte de personnel d’établissement)',
  cpf: 'CPF (carte de professionnel en formation)',
  unsupported: 'Carte non prise en charge',
  unknown: 'Carte inconnue',
};

export function formatReport(report: CardsReport): string {
  if (report.readers.length === 0) return 'Aucun lecteur de cartes détecté.';
  const lines: string[] = [];
  for (const reader of report.readers) {
    lines.push(`Lecteur « ${reader.name} »`);
    const card = reader.card;
    if (!card) {
      lines.push('  (aucune carte)', '');
      continue;
    }
    lines.push(`  ${kindLabels[card.kind]} — ATR ${card.atr}`);
    if (reader.error) lines.push(`  Lecture impossible : ${reader.error}`);
    else lines.push(...describeCard(card));
    lines.push('');
  }
  return lines.join('\n').trimEnd();
}

function describeCard(card: CardJson): string[] {
  switch (card.kind) {
    case 'vitale':
      return [
        `  Statut : ${card.status}`,
        '  Nom                  Prénom           Naissance    NIR               Clé',
        ...card.beneficiaries.map(
          (b) =>
            `  ${b.lastName.padEnd(20)} ${b.firstName.padEnd(16)} ${b.birthDate.padEnd(12)} ${b.nir.padEnd(17)} ${b.nirKeyValid ? 'valide' : 'INVALIDE'}`,
        ),
      ];
    case 'cps':
    case 'cpe':
    case 'cpf':
      return [
        `  Titulaire : ${[card.holder.civility, card.holder.firstName, card.holder.lastName].filter(Boolean).join(' ')}`,
        `  Identifiant national : ${card.holder.nationalId} (${card.holder.nationalIdType})`,
        `  Profession : ${card.holder.professionLabel}`,
        `  N° de série : ${card.serial} — statut : ${card.status}`,
        `  Code porteur : ${card.pin.blocked ? 'BLOQUÉ' : `${card.pin.triesLeft}/${card.pin.triesMax} essais restants`}`,
      ];
    case 'unsupported':
    case 'unknown':
      return [`  ${card.reason}`];
  }
}
