import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { isHex } from '../hex';

/**
 * Declarative card profiles (`resources/cards/*.json`): ATR, file tree and PIN. EF content is hex,
 * UTF-8 text or a structured BER-TLV tree, so profiles stay readable and the emulator stays generic.
 */
const hexString = z.string().refine(isHex, { message: 'hexadécimal invalide' });
const fid = z.string().regex(/^[0-9A-Fa-f]{4}$/, { message: 'FID attendu sur 4 chiffres hexadécimaux' });

export interface TlvSpec {
  tag: string;
  hex?: string | undefined;
  text?: string | undefined;
  children?: TlvSpec[] | undefined;
}

export const tlvSpecSchema: z.ZodType<TlvSpec> = z.lazy(() =>
  z
    .object({
      tag: z.string().regex(/^(?:[0-9A-Fa-f]{2}){1,3}$/),
      hex: hexString.optional(),
      text: z.string().optional(),
      children: z.array(tlvSpecSchema).optional(),
    })
    .strict()
    .refine((spec) => [spec.hex, spec.text, spec.children].filter((v) => v !== undefined).length <= 1, {
      message: 'un TLV porte soit hex, soit text, soit children',
    }),
);

export const contentSchema = z.union([
  z.object({ hex: hexString }).strict(),
  z.object({ text: z.string() }).strict(),
  z.object({ tlv: z.array(tlvSpecSchema) }).strict(),
]);
export type ContentSpec = z.infer<typeof contentSchema>;

export const efSchema = z
  .object({
    type: z.literal('ef'),
    fid,
    name: z.string().optional(),
    sfi: z.number().int().min(1).max(30).optional(),
    /** `pin`: readable only after a successful VERIFY of the profile's PIN. */
    access: z.enum(['always', 'pin']).default('always'),
    /** Zero-pads transparent content to this size (real Vitale files are zero-filled). */
    size: z.number().int().min(0).max(32767).optional(),
    content: contentSchema.optional(),
    records: z.array(contentSchema).optional(),
  })
  .strict()
  .refine((ef) => !(ef.content && ef.records), {
    message: 'un EF est transparent (content) ou à enregistrements (records), pas les deux',
  });
export type EfSpec = z.infer<typeof efSchema>;

export interface DfSpec {
  type: 'df';
  fid: string;
  name?: string | undefined;
  aid?: string | undefined;
  children: (DfSpec | EfSpec)[];
}

export const dfSchema: z.ZodType<DfSpec> = z.lazy(() =>
  z
    .object({
      type: z.literal('df'),
      fid,
      name: z.string().optional(),
      aid: z
        .string()
        .refine(isHex)
        .refine((v) => v.replace(/[\s:]/g, '').length >= 10 && v.replace(/[\s:]/g, '').length <= 32, {
          message: 'AID de 5 à 16 octets',
        })
        .optional(),
      children: z.array(z.union([efSchema, dfSchema])),
    })
    .strict(),
);

export const cardProfileSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    /** French label for the simulator panel. */
    label: z.string().min(1),
    kind: z.enum(['vitale', 'cps', 'cpe', 'cpf', 'other']),
    description: z.string().optional(),
    atr: hexString.refine(
      (v) => v.replace(/[\s:]/g, '').length >= 4 && v.replace(/[\s:]/g, '').length <= 66,
      {
        message: 'ATR de 2 à 33 octets',
      },
    ),
    pin: z
      .object({
        /** PIN reference (P2 of VERIFY, `<ref>` of the tries-counter GET DATA). */
        reference: z.string().regex(/^[0-9A-Fa-f]{2}$/),
        value: z.string().regex(/^[0-9]{4,8}$/),
        triesMax: z.number().int().min(1).max(15),
        triesLeft: z.number().int().min(0).max(15),
      })
      .strict()
      .refine((pin) => pin.triesLeft <= pin.triesMax, { message: 'triesLeft > triesMax' })
      .optional(),
    fileSystem: dfSchema,
  })
  .strict()
  .refine((p) => p.fileSystem.fid.toUpperCase() === '3F00', { message: 'la racine doit être le MF 3F00' });
export type CardProfile = z.infer<typeof cardProfileSchema>;

export class CardProfileError extends Error {
  override readonly name = 'CardProfileError';
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(message);
  }
}

/** Validates one profile; the error names the file and the first failing field, in French. */
export function parseCardProfile(json: unknown, source: string): CardProfile {
  const parsed = cardProfileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join('.') || '(racine)' : '(racine)';
    throw new CardProfileError(
      source,
      `Profil de carte invalide (${source}) : ${where} : ${issue?.message ?? 'invalide'}`,
    );
  }
  return parsed.data;
}

/**
 * Loads every `*.json` profile of a folder, sorted by id. Synchronous because it runs once at
 * start-up from the composition root. A corrupt file stops loading with a precise error rather than
 * silently hiding a profile.
 */
export function loadCardProfiles(dir: string): CardProfile[] {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort();
  const profiles: CardProfile[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (cause) {
      throw new CardProfileError(file, `Profil de carte illisible (${file}) : ${(cause as Error).message}`);
    }
    const profile = parseCardProfile(json, file);
    if (seen.has(profile.id)) throw new CardProfileError(file, `Profil de carte en double : ${profile.id}`);
    seen.add(profile.id);
    profiles.push(profile);
  }
  return profiles.sort((a, b) => a.id.localeCompare(b.id));
}
