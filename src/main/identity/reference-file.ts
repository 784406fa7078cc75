import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { insOid, matriculeSchema, sexSchema } from '../../shared/contract';
import { checkIns } from '../../shared/identity/ins';
import type { ReferenceRecord } from './identity-reference';

const fileSchema = z.object({
  description: z.string().optional(),
  oid: insOid,
  identities: z.array(
    z.strictObject({
      matricule: matriculeSchema,
      birthName: z.string().min(1),
      firstNames: z.string().min(1),
      birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      sex: sexSchema,
      birthPlaceCode: z.string().min(1),
      cardNir: matriculeSchema.optional(),
      birthRank: z.number().int().min(1).max(9).optional(),
    }),
  ),
});

/**
 * Reads a file of reference identities (the demo data that goes with the simulated Vitale cards).
 * Every INS must pass the same checks as any other: a wrong key in demo data is a bug, not a demo.
 */
export async function readReferenceFile(path: string): Promise<ReferenceRecord[]> {
  const parsed = fileSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  return parsed.identities.map((identity, index) => {
    const problems = checkIns({ matricule: identity.matricule, oid: parsed.oid }, identity);
    if (problems.length > 0)
      throw new Error(`${path}: identity #${index}: ${problems.map((p) => p.code).join(', ')}`);
    return { ...identity, oid: parsed.oid };
  });
}
