/**
 * The part of the WebAssembly JavaScript API that the store compiles sql.js with (sql-wasm.ts,
 * engine.ts). Node has all of it; TypeScript declares it only in its DOM library, which the main
 * process's code does not take. `Module` merges with the empty interface @types/emscripten declares.
 */
declare namespace WebAssembly {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- opaque, as in the DOM library
  interface Module {}
  const Module: {
    prototype: Module;
    new (bytes: Uint8Array): Module;
    imports(module: Module): { module: string; name: string; kind: string }[];
    exports(module: Module): { name: string; kind: string }[];
    customSections(module: Module, name: string): ArrayBuffer[];
  };
  type Imports = Record<string, Record<string, unknown>>;
  type Exports = Record<string, unknown>;
  class Instance {
    constructor(module: Module, imports?: Imports);
    readonly exports: Exports;
  }
  function compile(bytes: Uint8Array): Promise<Module>;
}
