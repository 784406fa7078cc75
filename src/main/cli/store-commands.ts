/**
 * Commands that open the data folder's store (through `CliContext.open`): the CLI starts sql.js for
 * them as soon as it knows the command (index.ts, main.ts), so that it is ready when the store opens.
 */
export function opensStore(command: string | undefined): boolean {
  return command === 'import' || command === 'summary' || command === 'generate' || command === 'reextract';
}
