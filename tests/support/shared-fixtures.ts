import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The official CI-SIS example documents, in the workplace's `shared/` folder beside the repository
 * (`../shared/fixtures/cda`), or wherever POSTE_DMP_SHARED_FIXTURES points. Missing fixtures are
 * an error, never a silent skip.
 */
export function sharedCdaFixturesDir(): string {
  const dir = process.env.POSTE_DMP_SHARED_FIXTURES ?? join(repoRoot, '..', 'shared', 'fixtures', 'cda');
  if (!existsSync(dir)) {
    throw new Error(
      `CI-SIS fixtures not found at ${dir}: expected ../shared/fixtures/cda beside the repository (or set POSTE_DMP_SHARED_FIXTURES)`,
    );
  }
  return dir;
}

/** The 83 further CI-SIS documents (`../shared/fixtures/cda-corpus`), beside the official ten. */
export function sharedCorpusDir(): string {
  const dir = join(dirname(sharedCdaFixturesDir()), 'cda-corpus');
  if (!existsSync(dir))
    throw new Error(
      `CI-SIS corpus not found at ${dir}: expected ../shared/fixtures/cda-corpus beside the repository`,
    );
  return dir;
}
