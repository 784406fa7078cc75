import { join } from 'node:path';
import { SimulatedTransport } from '../cards/transport/simulated-transport';
import { loadCardProfiles } from '../cards/emulator';
import { CardSimulator } from './card-simulator';
import { resourcesDir } from './paths';

/**
 * The in-process card readers and the simulator panel behind them. Loaded only through a dynamic
 * import guarded by a build-time
 * constant (composition.ts), so a packaged build does not contain the emulator at all.
 */
export function createSimulatedCards(): { transport: SimulatedTransport; simulator: CardSimulator } {
  const transport = new SimulatedTransport();
  return {
    transport,
    simulator: new CardSimulator(transport, loadCardProfiles(join(resourcesDir(), 'cards'))),
  };
}
