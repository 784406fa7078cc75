import { z } from 'zod';
import { readerDisplaySchema } from './cards';
import { sessionStateSchema } from './session';
import { hostStatusSchema } from './host';

/** Everything the main process pushes to the renderer. */
export const events = {
  'cards.changed': z.array(readerDisplaySchema),
  'session.changed': sessionStateSchema,
  'host.changed': hostStatusSchema,
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const eventNames = Object.keys(events) as EventName[];
