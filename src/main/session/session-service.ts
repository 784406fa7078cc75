import {
  ApiError,
  type AccessMode,
  type CardInfo,
  type CpxCardInfo,
  type DossierRef,
  type HostSessionEnd,
  type PatientContext,
  type PinState,
  type ReaderView,
  type ReferenceIdentity,
  type SessionState,
  type VitaleCardInfo,
} from '../../shared/contract';
import type { Logger } from '../log/logger';
import { isCardError } from '../cards/errors';
import { situationIsCentre15Regulation } from '../domain/access-policy';
import {
  Deadline,
  defaultSessionRules,
  realScheduler,
  type Scheduler,
  type SessionRules,
} from './session-rules';

/** What the session needs from the card layer. */
export interface SessionCards {
  readers(): ReaderView[];
  onChange(listener: (readers: ReaderView[]) => void): () => void;
  verifyPin(reader: string, pin: Uint8Array): Promise<{ success: boolean; pin: PinState }>;
}

export interface SessionActor {
  professional: NonNullable<SessionState['professional']>;
  mode: AccessMode;
  reason?: string;
}

/** What the identity reference answered for a Vitale beneficiary. */
export type IdentityOutcome =
  | { kind: 'identity'; identity: ReferenceIdentity }
  | { kind: 'several'; candidates: ReferenceIdentity[] }
  /** No identity (or the card cannot identify anyone): French notice. */
  | { kind: 'unknown'; notice: string };

/** What became of the dossier of an identity, for this professional. */
export type DossierOutcome =
  | { kind: 'none' }
  | { kind: 'open'; dossier: DossierRef }
  | { kind: 'authorization-required'; dossier: DossierRef }
  | { kind: 'refused'; dossier: DossierRef; notice: string };

/** What the session needs from the DMP host and its identity reference. */
export interface SessionDossiers {
  identifyBeneficiary(
    beneficiary: VitaleCardInfo['beneficiaries'][number],
    cardStatus: VitaleCardInfo['status'],
  ): Promise<IdentityOutcome>;
  /** The dossier of exactly this INS, opened (and audited) when the professional may open it. */
  openForIdentity(actor: SessionActor, identity: ReferenceIdentity): Promise<DossierOutcome>;
  /** Records the authorisation the patient, present, gives this professional (TD0.3), then opens. */
  authorizeAndOpen(actor: SessionActor, identity: ReferenceIdentity): Promise<DossierOutcome>;
  /** Checks the access rules, audits, and returns the dossier; throws ApiError when refused. */
  open(actor: SessionActor, insKey: string): Promise<DossierRef>;
}

/** The patient context of one beneficiary before anything is known of their identity and dossier. */
function freshSelection(patient: PatientContext, index: number): PatientContext {
  return {
    beneficiaries: patient.beneficiaries,
    selectedIndex: index,
    source: patient.source,
    keepOpen: patient.keepOpen,
    dossier: null,
    access: null,
  };
}

/**
 * With a shared DMP host, the card's PIN is not enough: the host must see the professional's card
 * sign its challenge (issue 13). The session calls `prove` after the card accepted the PIN, before
 * any access, and `end` whenever that authentication ends (card removed or changed, lock, inactivity).
 */
export interface ProfessionalProof {
  /** Throws an ApiError with a French message to refuse access. The PIN buffer is zeroed afterwards. */
  prove(card: { reader: string; serial: string }, pin: Uint8Array): Promise<void>;
  end(): Promise<void>;
}

export interface SessionOptions {
  production: boolean;
  /** Absent with the embedded store: the card's PIN check is the whole authentication. */
  professionalProof?: ProfessionalProof;
  now?: () => Date;
  rules?: Partial<SessionRules>;
  scheduler?: Scheduler;
}

/**
 * The clinician's session: who is authenticated (CPS + PIN), in which practice situation, which
 * patient is in context and how the dossier was opened. Card events drive it; removing the CPS
 * locks it at once, and so does inactivity. Bris de glace and Centre 15 cover the one patient they
 * were opened for, and end with that patient's context or after a set time.
 */
export class SessionService {
  private state: SessionState = { status: 'no_card', professional: null, pin: null, patient: null };
  private authenticatedSerial: string | null = null;
  /**
   * The card whose session is locked: only that card resumes it (« Session verrouillée… »). Another
   * professional's card starts afresh (« code porteur »): the lock is not theirs to resume.
   */
  private lockedSerial: string | null = null;
  /** Situation chosen for a card; kept across a lock so resuming with the PIN does not ask again. */
  private situationChoice: { serial: string; index: number } | null = null;
  private readonly rules: SessionRules;
  private readonly scheduler: Scheduler;
  private readonly inactivity: Deadline;
  private readonly emergencyEnd: Deadline;
  /** Which Vitale (reader, ATR, beneficiaries) the patient context was built from, to ignore repeated events. */
  private vitaleSeen: string | null = null;
  private readonly listeners = new Set<(state: SessionState) => void>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly cards: SessionCards,
    private readonly dossiers: SessionDossiers,
    private readonly log: Logger,
    private readonly options: SessionOptions = { production: false },
  ) {
    this.rules = { ...defaultSessionRules, ...options.rules };
    this.scheduler = options.scheduler ?? realScheduler;
    this.inactivity = new Deadline(this.scheduler, () => this.lockAfterInactivity());
    this.emergencyEnd = new Deadline(this.scheduler, () => this.endExpiredEmergencyAccess());
    this.unsubscribe = cards.onChange((readers) => void this.onReaders(readers));
    void this.onReaders(cards.readers());
  }

  private now(): string {
    return (this.options.now?.() ?? new Date(this.scheduler.now())).toISOString();
  }

  get(): SessionState {
    return structuredClone(this.state);
  }

  onChange(listener: (state: SessionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.unsubscribe();
    this.listeners.clear();
    this.inactivity.cancel();
    this.emergencyEnd.cancel();
  }

  /** A request from the clinician: pushes the inactivity lock back. */
  touch(): void {
    if (this.authenticatedSerial) this.inactivity.set(this.rules.inactivityLockMs);
  }

  /** The PIN arrives as digits once; it is copied into a buffer that is zeroed whatever happens. */
  async verifyPin(reader: string, pin: string): Promise<{ success: boolean; pin: PinState }> {
    const card = this.professionalCard();
    if (!card || card.reader !== reader) {
      throw new ApiError('CARD_ERROR', 'Aucune carte professionnelle dans ce lecteur.');
    }
    const hostEnd = this.state.endedByHost;
    if (hostEnd?.cause === 'card-revoked' && this.lockedSerial === card.info.serial) {
      // The host said this card is revoked: its PIN is not asked (nor a try spent) for nothing.
      throw new ApiError('FORBIDDEN', hostEnd.message, 'card revoked (shared DMP host)');
    }
    if (card.info.pin.blocked) {
      throw new ApiError(
        'PIN_BLOCKED',
        'Carte bloquée : trop de codes erronés. Débloquez-la avec votre code de déblocage (procédure ANS).',
      );
    }
    const buffer = new TextEncoder().encode(pin);
    // The card layer zeroes the buffer it is given: the host proof, when there is one, gets its own copy.
    const proofPin = this.options.professionalProof ? buffer.slice() : null;
    let result: { success: boolean; pin: PinState };
    try {
      result = await this.cards.verifyPin(reader, buffer);
      if (result.success && proofPin) await this.proveToHost(card, proofPin, result.pin);
    } catch (err) {
      throw toApiError(err);
    } finally {
      buffer.fill(0);
      proofPin?.fill(0);
    }
    if (result.success) {
      this.authenticatedSerial = card.info.serial;
      this.lockedSerial = null;
      if (this.situationChoice?.serial !== card.info.serial) this.situationChoice = null;
      // One situation (or none on the card): nothing to choose.
      if (!this.situationChoice && card.info.holder.situations.length === 1)
        this.situationChoice = { serial: card.info.serial, index: 0 };
      this.log.info('professional authenticated', { cardKind: card.info.kind });
      this.update({ pin: result.pin });
      this.touch();
      await this.onReaders(this.cards.readers());
    } else {
      this.update({ status: result.pin.blocked ? 'pin_blocked' : 'pin_required', pin: result.pin });
    }
    return result;
  }

  /**
   * The card accepted the PIN; with a shared host, the host must accept the card too. A refusal
   * leaves the session without access, with the host's reason in French.
   */
  private async proveToHost(
    card: { reader: string; info: CpxCardInfo },
    pin: Uint8Array,
    pinState: PinState,
  ): Promise<void> {
    const proof = this.options.professionalProof;
    if (!proof) return;
    try {
      await proof.prove({ reader: card.reader, serial: card.info.serial }, pin);
    } catch (err) {
      this.log.warn('professional refused by the DMP host', {
        code: err instanceof ApiError ? err.code : 'INTERNAL',
      });
      this.update({ pin: pinState });
      throw err instanceof ApiError
        ? err
        : new ApiError(
            'FORBIDDEN',
            'Le serveur DMP n’a pas pu vérifier votre carte : accès impossible.',
            err instanceof Error ? err.message : 'unknown',
          );
    }
    if (this.professionalCard()?.info.serial !== card.info.serial) {
      // Removed while the host was checking it: that authentication belongs to nobody now.
      this.endProof();
      throw new ApiError('CARD_ERROR', 'La carte professionnelle a été retirée pendant la vérification.');
    }
  }

  /** Forgets who is authenticated; with a shared host, ends the professional's session there too. */
  private endAuthentication(): void {
    const wasAuthenticated = this.authenticatedSerial !== null;
    if (wasAuthenticated) this.lockedSerial = this.authenticatedSerial;
    this.authenticatedSerial = null;
    if (wasAuthenticated) this.endProof();
  }

  private endProof(): void {
    const proof = this.options.professionalProof;
    if (!proof) return;
    proof.end().catch((err: unknown) =>
      this.log.warn('ending the professional session on the DMP host failed', {
        error: err instanceof Error ? err.message : 'unknown',
      }),
    );
  }

  lock(): SessionState {
    this.lockWith({});
    return this.get();
  }

  /**
   * The shared DMP host ended the professional's session on its side (card revoked, inactivity,
   * session unknown to it): locked exactly as a local lock is — patient closed, the PIN needed
   * again — with the host's French reason in the state for the card bar. A revoked card cannot
   * be used again: its PIN is refused until another card (or the same one reinserted) is read.
   */
  endedByHost(end: HostSessionEnd): void {
    if (!this.authenticatedSerial) return;
    this.log.warn('session locked: professional session ended by the DMP host', { cause: end.cause });
    this.lockWith({ endedByHost: end });
  }

  private lockWith(extra: Pick<SessionState, 'endedByHost'>): void {
    this.endAuthentication();
    this.inactivity.cancel();
    const card = this.professionalCard();
    this.update({
      status: card ? 'locked' : 'no_card',
      patient: null,
      professional: card ? this.professionalView(card.reader, card.info) : null,
      ...extra,
    });
  }

  /** The practice situation (lieu / mode d'exercice) the professional works in for this session. */
  async selectSituation(index: number): Promise<SessionState> {
    const card = this.professionalCard();
    if (!card || this.authenticatedSerial !== card.info.serial) {
      throw new ApiError(
        'LOCKED',
        'Session verrouillée : insérez votre carte professionnelle et saisissez votre code.',
      );
    }
    if (!card.info.holder.situations[index])
      throw new ApiError('NOT_FOUND', 'Cette situation d’exercice ne figure pas sur la carte.');
    const changed = this.situationChoice?.index !== index;
    this.situationChoice = { serial: card.info.serial, index };
    this.touch();
    // What the professional may do depends on the situation: a patient opened under another one is closed.
    if (changed && this.state.patient) this.update({ patient: null });
    this.vitaleSeen = null;
    await this.onReaders(this.cards.readers());
    return this.get();
  }

  private lockAfterInactivity(): void {
    if (!this.authenticatedSerial) return;
    this.log.info('session locked after inactivity', {
      minutes: Math.round(this.rules.inactivityLockMs / 60_000),
    });
    this.lock();
  }

  /** Time is up for bris de glace / Centre 15: the patient's context closes (reopening needs a new reason). */
  private endExpiredEmergencyAccess(): void {
    const access = this.state.patient?.access;
    if (!access || access.mode === 'normal') return;
    this.log.info('emergency access ended: time limit reached', { mode: access.mode });
    this.update({ patient: null });
  }

  async selectBeneficiary(index: number): Promise<SessionState> {
    const patient = this.state.patient;
    const actor = this.actor('normal');
    const vitale = this.vitaleCard();
    if (!patient || patient.source !== 'vitale' || !vitale) {
      throw new ApiError('NOT_FOUND', 'Aucune carte Vitale n’est lue.');
    }
    const beneficiary = vitale.info.beneficiaries[index];
    if (!beneficiary) throw new ApiError('NOT_FOUND', 'Ce bénéficiaire ne figure pas sur la carte.');
    const base = freshSelection(patient, index);
    this.update({ patient: base });
    const outcome = await this.dossiers.identifyBeneficiary(beneficiary, vitale.info.status);
    switch (outcome.kind) {
      case 'unknown':
        this.update({ patient: { ...base, notice: outcome.notice } });
        return this.get();
      case 'several':
        this.update({
          patient: {
            ...base,
            candidates: outcome.candidates,
            notice:
              'Plusieurs identités correspondent à ce bénéficiaire : comparez les traits et choisissez la bonne personne.',
          },
        });
        return this.get();
      case 'identity':
        return this.applyIdentity(actor, base, outcome.identity);
    }
  }

  /** A human picks the right person among the identities the reference answered. */
  async chooseIdentity(index: number): Promise<SessionState> {
    const patient = this.state.patient;
    const actor = this.actor('normal');
    const chosen = patient?.candidates?.[index];
    if (!patient || patient.selectedIndex === null || !chosen)
      throw new ApiError('NOT_FOUND', 'Cette identité ne figure pas parmi les identités proposées.');
    return this.applyIdentity(actor, freshSelection(patient, patient.selectedIndex), chosen);
  }

  /**
   * « Le patient présent autorise l'accès »: only for the dossier found from the Vitale card still
   * in the reader, so that the authorisation really comes from the patient in front of the professional.
   */
  async authorizeAccess(): Promise<SessionState> {
    const patient = this.state.patient;
    const actor = this.actor('normal');
    if (
      !patient ||
      patient.source !== 'vitale' ||
      !patient.identity ||
      !patient.authorizationRequired ||
      patient.selectedIndex === null
    ) {
      throw new ApiError('NOT_FOUND', 'Aucun dossier en attente de l’autorisation du patient.');
    }
    if (!this.vitaleCard())
      throw new ApiError(
        'FORBIDDEN',
        'La carte Vitale du patient doit être dans le lecteur pour qu’il autorise l’accès.',
      );
    const base = freshSelection(patient, patient.selectedIndex);
    return this.applyOutcome(
      { ...base, identity: patient.identity, dossierExists: true },
      await this.dossiers.authorizeAndOpen(actor, patient.identity),
    );
  }

  private async applyIdentity(
    actor: SessionActor,
    base: PatientContext,
    identity: ReferenceIdentity,
  ): Promise<SessionState> {
    const withIdentity: PatientContext = { ...base, identity };
    this.update({ patient: withIdentity });
    let outcome: DossierOutcome;
    try {
      outcome = await this.dossiers.openForIdentity(actor, identity);
    } catch (err) {
      if (err instanceof ApiError)
        this.update({ patient: { ...withIdentity, dossierExists: true, notice: err.message } });
      throw err;
    }
    return this.applyOutcome(withIdentity, outcome);
  }

  private applyOutcome(base: PatientContext, outcome: DossierOutcome): SessionState {
    switch (outcome.kind) {
      case 'none':
        this.update({ patient: { ...base, dossierExists: false, notice: 'Ce patient n’a pas de DMP.' } });
        break;
      case 'open':
        this.update({
          patient: {
            ...base,
            dossierExists: true,
            dossier: outcome.dossier,
            access: { mode: 'normal', since: this.now() },
          },
        });
        break;
      case 'authorization-required':
        this.update({
          patient: {
            ...base,
            dossierExists: true,
            authorizationRequired: true,
            notice:
              'Ce patient a un DMP. Vous n’êtes pas encore autorisé à le consulter : informez le patient et enregistrez son autorisation.',
          },
        });
        break;
      case 'refused':
        this.update({ patient: { ...base, dossierExists: true, notice: outcome.notice } });
        break;
    }
    return this.get();
  }

  keepOpen(keep: boolean): SessionState {
    if (!this.state.patient) throw new ApiError('NOT_FOUND', 'Aucun dossier patient n’est ouvert.');
    this.update({ patient: { ...this.state.patient, keepOpen: keep } });
    return this.get();
  }

  closePatient(): SessionState {
    this.update({ patient: null });
    return this.get();
  }

  async openDossier(insKey: string, mode: AccessMode, reason?: string): Promise<SessionState> {
    const actor = this.actor(mode, reason);
    const opened = await this.dossiers.open(actor, insKey);
    const emergency = mode !== 'normal';
    const until = emergency
      ? new Date(this.scheduler.now() + this.rules.emergencyAccessMs).toISOString()
      : undefined;
    this.update({
      patient: {
        beneficiaries: [],
        selectedIndex: null,
        source: 'search',
        keepOpen: true,
        dossier: opened,
        access: { mode, ...(reason ? { reason } : {}), since: this.now(), ...(until ? { until } : {}) },
      },
    });
    if (emergency) this.emergencyEnd.set(this.rules.emergencyAccessMs);
    return this.get();
  }

  /** The actor for a request, or LOCKED when nobody is authenticated. Counts as activity. */
  actor(mode?: AccessMode, reason?: string): SessionActor {
    if (this.state.status === 'situation_required') {
      throw new ApiError(
        'LOCKED',
        'Choisissez d’abord votre situation d’exercice (lieu et mode d’exercice).',
      );
    }
    if (this.state.status !== 'authenticated' || !this.state.professional) {
      throw new ApiError(
        'LOCKED',
        'Session verrouillée : insérez votre carte professionnelle et saisissez votre code.',
      );
    }
    this.touch();
    const access = this.state.patient?.access;
    if (access?.until && this.scheduler.now() >= Date.parse(access.until)) {
      // A late timer must not leave an expired emergency access usable.
      this.endExpiredEmergencyAccess();
      if (mode === undefined) throw new ApiError('FORBIDDEN', emergencyEndedMessage);
    }
    const effectiveMode = mode ?? access?.mode ?? 'normal';
    const effectiveReason = reason ?? (mode === undefined ? access?.reason : undefined);
    return {
      professional: this.state.professional,
      mode: effectiveMode,
      ...(effectiveReason ? { reason: effectiveReason } : {}),
    };
  }

  /** The dossier currently open, with the mode it was opened in; refuses any other INS. */
  currentAccess(insKey: string): SessionActor {
    const actor = this.actor();
    const dossier = this.state.patient?.dossier;
    if (!dossier || dossier.insKey.toUpperCase() !== insKey.toUpperCase()) {
      throw new ApiError('FORBIDDEN', 'Ce dossier n’est pas ouvert dans la session : ouvrez-le d’abord.');
    }
    return actor;
  }

  private async onReaders(readers: ReaderView[]): Promise<void> {
    const cpx = findCard(
      readers,
      (c): c is CpxCardInfo => c.kind === 'cps' || c.kind === 'cpe' || c.kind === 'cpf',
    );
    if (!cpx) {
      if (this.authenticatedSerial) this.log.info('professional card removed: session locked');
      this.endAuthentication();
      this.situationChoice = null;
      this.inactivity.cancel();
      this.vitaleSeen = null;
      this.update({
        status:
          this.state.status === 'authenticated' ||
          this.state.status === 'situation_required' ||
          this.state.status === 'locked'
            ? 'locked'
            : 'no_card',
        professional: null,
        pin: null,
        patient: null,
      });
      return;
    }
    if (this.options.production && cpx.info.status !== 'production') {
      this.log.warn('test or demo professional card refused in production');
      this.endAuthentication();
      this.update({ status: 'no_card', professional: null, pin: null, patient: null });
      return;
    }
    const sameCard = this.authenticatedSerial === cpx.info.serial;
    if (!sameCard) {
      this.endAuthentication();
      this.inactivity.cancel();
      if (this.situationChoice?.serial !== cpx.info.serial) this.situationChoice = null;
      const professional = this.professionalView(cpx.reader, cpx.info);
      this.update({
        status: cpx.info.pin.blocked
          ? 'pin_blocked'
          : this.state.status === 'locked' && this.lockedSerial === cpx.info.serial
            ? 'locked'
            : 'pin_required',
        professional,
        pin: cpx.info.pin,
        patient: null,
      });
      return;
    }
    const professional = this.professionalView(cpx.reader, cpx.info);
    if (!this.situationChoice && cpx.info.holder.situations.length > 1) {
      this.update({ status: 'situation_required', professional, patient: null });
      return;
    }
    this.update({ status: 'authenticated', professional });
    await this.onVitale(readers);
  }

  /** The professional as the session shows it, with the chosen situation when there is one. */
  private professionalView(reader: string, info: CpxCardInfo): NonNullable<SessionState['professional']> {
    const index = this.situationChoice?.serial === info.serial ? this.situationChoice.index : null;
    const situation = index === null ? undefined : info.holder.situations[index];
    return {
      reader,
      cardKind: info.kind,
      serial: info.serial,
      holder: info.holder,
      situationIndex: index,
      centre15Regulation: situation ? situationIsCentre15Regulation(situation) : false,
    };
  }

  private async onVitale(readers: ReaderView[]): Promise<void> {
    const vitale = findCard(readers, (c): c is VitaleCardInfo => c.kind === 'vitale');
    const patient = this.state.patient;
    if (!vitale) {
      this.vitaleSeen = null;
      if (patient?.source === 'vitale' && !patient.keepOpen) this.update({ patient: null });
      return;
    }
    if (this.options.production && vitale.info.status !== 'production') {
      this.log.warn('test or demo Vitale card refused in production');
      if (patient?.source === 'vitale' && !patient.keepOpen) this.update({ patient: null });
      return;
    }
    const identity = `${vitale.reader}|${vitale.info.atr}|${vitale.info.beneficiaries.map((b) => b.nir + b.birthDate).join(',')}`;
    if (identity === this.vitaleSeen && patient?.source === 'vitale') return;
    if (patient?.keepOpen && patient.source === 'search') return;
    this.vitaleSeen = identity;
    this.update({
      patient: {
        beneficiaries: vitale.info.beneficiaries,
        selectedIndex: null,
        source: 'vitale',
        keepOpen: false,
        dossier: null,
        access: null,
      },
    });
    if (vitale.info.beneficiaries.length === 1) {
      try {
        await this.selectBeneficiary(0);
      } catch (err) {
        this.log.info('automatic dossier opening refused', {
          code: err instanceof ApiError ? err.code : 'INTERNAL',
        });
      }
    }
  }

  private professionalCard(): { reader: string; info: CpxCardInfo } | null {
    return findCard(
      this.cards.readers(),
      (c): c is CpxCardInfo => c.kind === 'cps' || c.kind === 'cpe' || c.kind === 'cpf',
    );
  }

  private vitaleCard(): { reader: string; info: VitaleCardInfo } | null {
    return findCard(this.cards.readers(), (c): c is VitaleCardInfo => c.kind === 'vitale');
  }

  private update(patch: Partial<SessionState>): void {
    // Emergency access lives exactly as long as the context it was opened for.
    if ('patient' in patch && (!patch.patient?.access || patch.patient.access.mode === 'normal'))
      this.emergencyEnd.cancel();
    const next: SessionState = { ...this.state, ...patch };
    // The host's reason belongs to the locked session of that card: gone once it resumes, another
    // card is read or the card leaves the reader.
    if (next.status !== 'locked' || next.professional === null) delete next.endedByHost;
    this.state = next;
    const snapshot = this.get();
    for (const listener of this.listeners) listener(snapshot);
  }
}

const emergencyEndedMessage =
  'L’accès exceptionnel (bris de glace ou Centre 15) a pris fin : rouvrez le dossier avec un nouveau motif si nécessaire.';

function findCard<T extends CardInfo>(
  readers: ReaderView[],
  match: (card: CardInfo) => card is T,
): { reader: string; info: T } | null {
  for (const reader of readers) {
    if (reader.card && match(reader.card)) return { reader: reader.name, info: reader.card };
  }
  return null;
}

/** Card failures keep their French message; the code tells the UI whether the card is blocked. */
function toApiError(err: unknown): unknown {
  if (!isCardError(err)) return err;
  const code =
    err.kind === 'pin-blocked' ? 'PIN_BLOCKED' : err.kind === 'pin-format' ? 'INVALID_INPUT' : 'CARD_ERROR';
  return new ApiError(code, err.message, `card error ${err.kind}${err.detail ? `: ${err.detail}` : ''}`);
}
