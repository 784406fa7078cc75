/**
 * The version of the rules that turn a CDA into sections and clinical entries (this folder). Each
 * stored document records the version its entries were extracted with (`documents.extraction_version`,
 * 0 for documents imported before versions were recorded), and `reextract` re-derives the entries of
 * every document whose version is older, from its stored content.
 *
 * BUMP THIS whenever an extraction rule changes what a document yields (an entry's label, dose, date,
 * status, kind; a section's narrative): otherwise documents already stored keep what the old rules
 * read, and the emergency summary keeps showing it.
 *
 * 1: the rules after the summary-truth audit (b178928..1de2df4: posology from the printed row, flu
 *    results, dates, « Résolu » without an end date, refuted and entered-in-error entries…).
 */
export const cdaExtractionVersion = 1;
