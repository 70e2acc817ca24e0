import type { ImportCounts, ImportSync } from '../api/types';
import { pluralize } from '../lib/plural';

/** The steps of an import, as the page shows them. */
export type ImportStep = 'upload' | 'preview' | 'fix' | 'apply' | 'results';

/** The step the page is at, from its stage and what the preview found. */
export function importStep(stage: string, errors: number, skipBadRows: boolean): ImportStep {
  if (stage === 'applied' || stage === 'finishing') return 'results';
  if (stage === 'applying') return 'apply';
  if (stage === 'preview') return errors > 0 && !skipBadRows ? 'fix' : 'preview';
  return 'upload';
}

/** The Roster field each column becomes, in the words of the template's header (never the API's names). */
export const FIELD_LABELS: Record<string, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  email: 'Email',
  userId: 'User ID',
  role: 'Role',
  location: 'Location',
  groups: 'Groups',
  courses: 'Courses',
  active: 'Active',
  expirationDate: 'Expiration date',
  approved: 'Approved',
  notify: 'Notify',
};

/** The label of a field, or "Not imported" for a column Roster does not read. */
export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? 'Not imported';
}

/**
 * What the sync choice does to the users the file does not name, with the
 * preview's count: null when it does nothing.
 */
export function syncEffect(counts: Pick<ImportCounts, 'deactivate' | 'archive'>, sync: ImportSync): { count: number; verb: string; title: string; warning: string } | null {
  if (sync === 'deactivate' && counts.deactivate > 0) {
    const users = pluralize(counts.deactivate, 'user');
    return {
      count: counts.deactivate,
      verb: 'deactivate',
      title: `Deactivate ${users} not in the file?`,
      warning: `${users} on the roster ${counts.deactivate === 1 ? 'is' : 'are'} not in the file. Applying it deactivates them: they lose access at once and are signed out. Their training records stay, and Activate gives access back.`,
    };
  }
  if (sync === 'archive' && counts.archive > 0) {
    const users = pluralize(counts.archive, 'user');
    return {
      count: counts.archive,
      verb: 'archive',
      title: `Archive ${users} not in the file?`,
      warning: `${users} on the roster ${counts.archive === 1 ? 'is' : 'are'} not in the file. Applying it archives them: they leave the active roster and lose access, and their unused seats go back to the pools. Their training records stay, and Unarchive brings them back.`,
    };
  }
  return null;
}
