import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { frenchIssues } from '../../../src/main/bridge/dispatcher';

function issuesOf(schema: z.ZodType, value: unknown): string {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error('expected a refusal');
  return frenchIssues(parsed.error);
}

describe('frenchIssues: refused input described in French, naming fields, never their values', () => {
  const config = z.strictObject({
    sessionSweepSeconds: z.number().int().min(5).max(600),
    ratio: z.number().gt(0).lt(1),
    name: z.string().min(1).max(4),
  });

  it('says a number is too small or too large, with the bound, not « trop court » or « trop long »', () => {
    expect(issuesOf(config, { sessionSweepSeconds: 2, ratio: 0.5, name: 'a' })).toBe(
      'champ « sessionSweepSeconds » : trop petit (au moins 5)',
    );
    expect(issuesOf(config, { sessionSweepSeconds: 900, ratio: 0.5, name: 'a' })).toBe(
      'champ « sessionSweepSeconds » : trop grand (au plus 600)',
    );
    expect(issuesOf(config, { sessionSweepSeconds: 30, ratio: 0, name: 'a' })).toBe(
      'champ « ratio » : trop petit (plus de 0)',
    );
    expect(issuesOf(config, { sessionSweepSeconds: 30, ratio: 1, name: 'a' })).toBe(
      'champ « ratio » : trop grand (moins de 1)',
    );
  });

  it('keeps « trop court ou manquant » and « trop long » for lengths, and never shows the value', () => {
    expect(issuesOf(config, { sessionSweepSeconds: 30, ratio: 0.5, name: '' })).toBe(
      'champ « name » : trop court ou manquant',
    );
    const long = issuesOf(config, { sessionSweepSeconds: 30, ratio: 0.5, name: 'DUPONT' });
    expect(long).toBe('champ « name » : trop long');
    expect(long).not.toContain('DUPONT');
  });
});
