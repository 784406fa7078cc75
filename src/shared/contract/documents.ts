import { z } from 'zod';

export const documentStatus = z.enum(['approved', 'obsolete', 'archived']);
export type DocumentStatus = z.infer<typeof documentStatus>;

/** DMP visibility flags, kept as booleans here; the store keeps the DMP bitmask (2, 4, 8). */
export const visibilitySchema = z.object({
  hiddenFromPatient: z.boolean(),
  maskedFromProfessionals: z.boolean(),
  hiddenFromLegalRepresentatives: z.boolean(),
});
export type Visibility = z.infer<typeof visibilitySchema>;

export const documentMetaSchema = z.object({
  id: z.string(),
  insKey: z.string(),
  title: z.string(),
  typeCode: z.string(),
  typeLabel: z.string(),
  category: z.string(),
  format: z.enum(['cda-structured', 'cda-unstructured', 'pdf', 'text']),
  author: z.string().optional(),
  authorProfession: z.string().optional(),
  date: z.string().optional(),
  depositedAt: z.string(),
  status: documentStatus,
  visibility: visibilitySchema,
  version: z.number().int().min(1),
  replacesId: z.string().optional(),
});
export type DocumentMeta = z.infer<typeof documentMetaSchema>;

export const documentContentSchema = z.object({
  meta: documentMetaSchema,
  /** Narrative as safe, inert HTML produced by the main process (no script, no external resource). */
  narrativeHtml: z.string().optional(),
  /** Embedded PDF as base64, when the document carries one. */
  pdfBase64: z.string().optional(),
  /** Files embedded in a structured document (e.g. the PDF of a lab report in an observationMedia), base64. */
  attachments: z
    .array(
      z.object({
        /** The observationMedia `ID`, or its position. */
        id: z.string(),
        mediaType: z.string(),
        /** French label (« Compte rendu PDF »…). */
        label: z.string(),
        base64: z.string(),
      }),
    )
    .optional(),
  /** French warnings to show before the content (e.g. not visible to the patient). */
  warnings: z.array(z.string()),
});
export type DocumentContent = z.infer<typeof documentContentSchema>;

export const documentFilterSchema = z.strictObject({
  category: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  includeArchived: z.boolean().optional(),
});
