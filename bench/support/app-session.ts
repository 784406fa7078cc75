import type { MethodInput, MethodName, MethodOutput, SessionState } from '../../src/shared/contract';
import type { App } from '../../src/main/app/composition';
import type { CardSimulator } from '../../src/main/app/card-simulator';
import { SIMULATED_CPS_READER } from '../../src/main/cards/transport/simulated-transport';

const GP_CPS_PROFILE = 'cps-medecin-generaliste';
/** The emulated CPS profiles' PIN (resources/cards/cps-*.json). */
const GP_PIN = '1234';

/** Calls a contract method through the dispatcher, as a transport would, and unwraps the envelope. */
export async function call<M extends MethodName>(
  app: App,
  method: M,
  input: MethodInput<M>,
): Promise<MethodOutput<M>> {
  const response = await app.dispatch(method, input);
  if (!response.ok) throw new Error(`${method} : ${response.error.code} — ${response.error.message}`);
  // The dispatcher validated the value against this method's output schema.
  return response.value as MethodOutput<M>;
}

/**
 * The next `session.changed` the predicate accepts. Subscribes synchronously, so calling it just
 * before the action that triggers the change cannot miss the event.
 */
export function nextSession(
  app: App,
  accept: (state: SessionState) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<SessionState> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`Délai dépassé (${timeoutMs} ms) en attendant : ${what}`));
    }, timeoutMs);
    const unsubscribe = app.bus.subscribe((event, payload) => {
      if (event !== 'session.changed') return;
      // The bus checked the payload against the session schema before fanning it out.
      const state = payload as SessionState;
      if (!accept(state)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(state);
    });
  });
}

export function requireSimulator(app: App): CardSimulator {
  if (!app.simulator) throw new Error('Le banc d’essai a besoin des lecteurs simulés (simulation: true).');
  return app.simulator;
}

/** CPS of the general practitioner in the simulated reader, PIN verified: the session is authenticated. */
export async function authenticateGp(app: App): Promise<void> {
  const pinAsked = nextSession(app, (s) => s.status === 'pin_required', 'demande du code porteur');
  requireSimulator(app).insert(SIMULATED_CPS_READER, GP_CPS_PROFILE);
  await pinAsked;
  const authenticated = nextSession(app, (s) => s.status === 'authenticated', 'session authentifiée');
  // If the PIN is refused we throw below; this keeps the abandoned wait from becoming an unhandled rejection.
  authenticated.catch(() => undefined);
  const result = await call(app, 'session.verifyPin', { reader: SIMULATED_CPS_READER, pin: GP_PIN });
  if (!result.success) throw new Error('Code porteur de la CPS simulée refusé.');
  // Subscribed before the PIN was sent: the change cannot have been missed.
  await authenticated;
}
