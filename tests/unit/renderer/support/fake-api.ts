import {
  buildApi,
  events,
  methodNames,
  methods,
  type Api,
  type ConnectionStatus,
  type EventName,
  type EventPayload,
  type MethodInput,
  type MethodName,
  type MethodOutput,
} from '../../../../src/shared/contract';

export type Handlers = {
  [M in MethodName]?: (input: MethodInput<M>) => MethodOutput<M> | Promise<MethodOutput<M>>;
};

export interface Call {
  method: MethodName;
  input: unknown;
}

export interface FakeApi {
  api: Api;
  calls: Call[];
  callsTo(method: MethodName): unknown[];
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  handlers: Handlers;
  /** Drives `onConnection` as a transport would (starts `connected`). */
  setConnection(status: ConnectionStatus): void;
}

/**
 * The contract with stubbed handlers. Inputs are checked against the real (strict) schemas, so a
 * component that sends a payload the main process would refuse fails its test; outputs are checked
 * too, so fixtures cannot drift from the contract.
 */
export function createFakeApi(handlers: Handlers = {}): FakeApi {
  const calls: Call[] = [];
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const invoke = async (method: MethodName, input: unknown): Promise<unknown> => {
    calls.push({ method, input });
    const parsed = methods[method].input.safeParse(input);
    if (!parsed.success) throw new Error(`[INVALID_INPUT] ${method}: ${parsed.error.message}`);
    const handler = handlers[method] as ((i: unknown) => unknown) | undefined;
    if (!handler) throw new Error(`[UNAVAILABLE] ${method} non simulé dans ce test.`);
    const output = await handler(parsed.data);
    return methods[method].output.parse(output);
  };
  const subscribe = (event: EventName, listener: (payload: unknown) => void): (() => void) => {
    const set = listeners.get(event) ?? new Set();
    set.add(listener);
    listeners.set(event, set);
    return () => set.delete(listener);
  };
  let connection: ConnectionStatus = { state: 'connected', attempts: 0 };
  const connectionListeners = new Set<(status: ConnectionStatus) => void>();
  const onConnection = (listener: (status: ConnectionStatus) => void): (() => void) => {
    connectionListeners.add(listener);
    listener(connection);
    return () => connectionListeners.delete(listener);
  };
  return {
    api: buildApi(invoke, subscribe, methodNames, onConnection),
    setConnection: (status) => {
      connection = status;
      for (const listener of [...connectionListeners]) listener(status);
    },
    calls,
    handlers,
    callsTo: (method) => calls.filter((c) => c.method === method).map((c) => c.input),
    emit: (event, payload) => {
      const checked = events[event].parse(payload);
      for (const listener of listeners.get(event) ?? []) listener(checked);
    },
  };
}

/** Rejects the way the transports do: `[CODE] message`. */
export function apiError(code: string, message: string): Error {
  return new Error(`[${code}] ${message}`);
}
