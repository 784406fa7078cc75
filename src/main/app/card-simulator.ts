import { ApiError } from '../../shared/contract';
import type { SimulatedTransport } from '../cards/transport/simulated-transport';
import { createVirtualCard, type CardProfile, type VirtualCard } from '../cards/emulator';

/** The simulator panel's back end: declarative card profiles inserted into simulated readers. */
export class CardSimulator {
  constructor(
    private readonly transport: SimulatedTransport,
    private readonly cardProfiles: CardProfile[],
  ) {}

  profiles(): { id: string; label: string; kind: string }[] {
    return this.cardProfiles.map((p) => ({ id: p.id, label: p.label, kind: p.kind }));
  }

  insert(reader: string, profileId: string): void {
    const profile = this.cardProfiles.find((p) => p.id === profileId);
    if (!profile) throw new ApiError('NOT_FOUND', 'Profil de carte inconnu.');
    if (!this.transport.readers().some((r) => r.name === reader))
      throw new ApiError('NOT_FOUND', 'Lecteur simulé inconnu.');
    this.transport.insert(reader, createVirtualCard(profile));
  }

  /** Inserts a card built outside the profile folder (benches and tests: one card per generated patient). */
  insertCard(reader: string, card: VirtualCard): void {
    if (!this.transport.readers().some((r) => r.name === reader))
      throw new ApiError('NOT_FOUND', 'Lecteur simulé inconnu.');
    this.transport.insert(reader, card);
  }

  remove(reader: string): void {
    if (!this.transport.readers().some((r) => r.name === reader))
      throw new ApiError('NOT_FOUND', 'Lecteur simulé inconnu.');
    this.transport.remove(reader);
  }
}
