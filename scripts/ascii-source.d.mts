/** Types of ascii-source.mjs, for the tests that import it. */
export interface SourceMapObject {
  mappings: string;
  [field: string]: unknown;
}

export function asciiSource<M extends SourceMapObject | null>(code: string, map: M): { code: string; map: M };
