import { insKey as insKeySchema, type InsOid } from '../../../../shared/contract';
import { insOids, matriculeKeyValid } from '../../../../shared/identity/ins';

export const oidChoices: { oid: InsOid; label: string }[] = [
  { oid: insOids.nir, label: 'NIR' },
  { oid: insOids.nia, label: 'NIA' },
  { oid: insOids.test, label: 'Test' },
  { oid: insOids.demo, label: 'Démonstration' },
];

/**
 * Accepts a full key (`matricule@oid`) or a bare 15-character matricule completed with the chosen OID;
 * spaces typed while reading the number off a document are ignored. Null when it cannot be a key.
 */
export function toInsKey(text: string, defaultOid: InsOid): string | null {
  const compact = text.replace(/\s+/g, '').toUpperCase();
  const candidate = compact.includes('@') ? compact : `${compact}@${defaultOid}`;
  // A matricule whose key is wrong is a typing error: never search with it.
  return insKeySchema.safeParse(candidate).success &&
    matriculeKeyValid(candidate.slice(0, candidate.indexOf('@')))
    ? candidate
    : null;
}
