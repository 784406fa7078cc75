import { open } from 'node:fs/promises';
import { defaultXmlLimits } from '../cda/xml/limits';

/** Why a file could not be read for import: a stable cause for the audit and a French message. */
export class ImportFileError extends Error {
  constructor(
    readonly reason: string,
    readonly userMessage: string,
  ) {
    super(userMessage);
    this.name = 'ImportFileError';
  }
}

/**
 * Reads a file to import, checking its size first (on the open handle, so the file cannot be
 * swapped between check and read): a 1 GB file is refused without ever being loaded in memory.
 */
export async function readImportFile(
  path: string,
  maxBytes: number = defaultXmlLimits.maxBytes,
): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    throw new ImportFileError('file: unreadable', 'fichier introuvable ou illisible.');
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new ImportFileError('file: not a regular file', 'ce n’est pas un fichier.');
    if (info.size > maxBytes) {
      throw new ImportFileError(
        'file: too large',
        `le fichier (${Math.ceil(info.size / 1024 / 1024)} Mo) dépasse la taille maximale de ${Math.round(maxBytes / 1024 / 1024)} Mo : il n’a pas été lu.`,
      );
    }
    const bytes = new Uint8Array(info.size);
    let read = 0;
    while (read < info.size) {
      const { bytesRead } = await handle.read(bytes, read, info.size - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return read === info.size ? bytes : bytes.subarray(0, read);
  } catch (err) {
    if (err instanceof ImportFileError) throw err;
    throw new ImportFileError('file: unreadable', 'fichier introuvable ou illisible.');
  } finally {
    await handle.close();
  }
}
