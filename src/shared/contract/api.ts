import type { MethodName, MethodInput, MethodOutput } from './methods';
import type { EventName, EventPayload } from './events';
import type { OnConnection } from './connection';

type Namespace<M extends string> = M extends `${infer NS}.${string}` ? NS : never;
type MemberOf<M extends string, NS extends string> = M extends `${NS}.${infer F}` ? F : never;

type Call<M> = M extends MethodName ? (input: MethodInput<M>) => Promise<MethodOutput<M>> : never;

/**
 * `window.api`: one async function per contract method, grouped by namespace, plus `on` for events
 * and `onConnection` for the state of the link itself (see connection.ts).
 */
export type Api = {
  [NS in Namespace<MethodName>]: {
    [F in MemberOf<MethodName, NS>]: Call<`${NS}.${F}`>;
  };
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  onConnection: OnConnection;
};

/** The functions each transport must provide; `buildApi` turns them into the namespaced object. */
export type Invoke = (method: MethodName, input: unknown) => Promise<unknown>;
export type Subscribe = (event: EventName, listener: (payload: unknown) => void) => () => void;

export function buildApi(
  invoke: Invoke,
  subscribe: Subscribe,
  names: readonly MethodName[],
  onConnection: OnConnection,
): Api {
  const api: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {};
  for (const name of names) {
    const [ns, fn] = name.split('.') as [string, string];
    (api[ns] ??= {})[fn] = (input: unknown) => invoke(name, input ?? {});
  }
  return Object.assign(api, {
    on: (event: EventName, listener: (payload: unknown) => void) => subscribe(event, listener),
    onConnection,
  }) as unknown as Api;
}

/** Flattened `ns.fn` keys of an api object, used to check every transport exposes the contract exactly. */
export function apiMethodKeys(api: object): string[] {
  const keys: string[] = [];
  for (const [ns, value] of Object.entries(api)) {
    if (ns === 'on' || typeof value !== 'object' || value === null) continue;
    for (const fn of Object.keys(value)) keys.push(`${ns}.${fn}`);
  }
  return keys.sort();
}

/** Top-level functions of an api object (`on`, `onConnection`): the members every transport adds. */
export function apiFunctionKeys(api: object): string[] {
  return Object.entries(api)
    .filter(([, value]) => typeof value === 'function')
    .map(([key]) => key)
    .sort();
}
