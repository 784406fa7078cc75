/**
 * The eleven document categories of the matrice d'habilitations (arrêté du 26 octobre 2023, annexe),
 * plus `non_classe` for codes the product does not know. The arrêté's exact headings are paraphrased:
 * see docs/access-rules.md for how each of our ids maps to the published matrix.
 */
export {
  documentCategories,
  regulatedCategories,
  categoryLabels,
  type DocumentCategory,
} from '../../shared/catalog/document-categories';
import { documentCategories, type DocumentCategory } from '../../shared/catalog/document-categories';

export function isDocumentCategory(value: string): value is DocumentCategory {
  return (documentCategories as readonly string[]).includes(value);
}

/** Categories arrive as plain strings from the store and the contract; anything unknown is treated as unclassified. */
export function toDocumentCategory(value: string): DocumentCategory {
  return isDocumentCategory(value) ? value : 'non_classe';
}
