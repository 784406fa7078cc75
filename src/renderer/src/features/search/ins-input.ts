import { insKey as insKeySchema, type InsOid } from '../../../../shared/contract';

export const oidChoices: { oid: InsOid; label: string }[] = [
  { oid: '1.2.250.1.213.1.4.8', label: 'NIR' },
  { oid: '1.2.250.1.213.1.4.9', label: 'NIA' },
  { oid: '1.2.250.1.213.1.4.10', label: 'Test' },
  { oid: '1.2.250.1.213.1.4.11', label: 'Démonstration' },
];

/**
 * Accepts a full key (`matricule@oid`) or a bare 15-character matricule completed with the chosen OID;
 * spaces typed while reading the number off a document are ignored. Null when it cannot be a key.
 */
export function toInsKey(text: string, defaultOid: InsOid): string | null {
  const compact = text.replace(/\s+/g, '').toUpperCase();
  const candidate = compact.includes('@') ? compact : `${compact}@${defaultOid}`;
  return insKeySchema.safeParse(candidate).success ? candidate : null;
}
