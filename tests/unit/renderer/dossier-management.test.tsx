// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PatientSearch } from '../../../src/renderer/src/features/search/PatientSearch';
import { createFakeApi } from './support/fake-api';
import { demoDossier, demoInsKey, secretary } from './support/fixtures';
import { renderWithApi } from './support/render';

describe('dossier management from the search results', () => {
  it('lets a secretary close a dossier with a mandatory reason, then reactivate it', async () => {
    const user = userEvent.setup();
    const closed = { ...demoDossier, status: 'closed' as const };
    const fake = createFakeApi({
      'patient.search': () => [demoDossier],
      'dossier.close': () => closed,
      'dossier.reactivate': () => demoDossier,
    });
    renderWithApi(<PatientSearch professional={secretary()} />, fake.api);
    await user.type(screen.getByLabelText('INS (matricule ou matricule@OID)'), demoInsKey);
    await user.click(screen.getByRole('button', { name: 'Rechercher' }));
    const results = await screen.findByRole('list', { name: 'Dossiers trouvés' });
    // A secretary's card is a CPE: no emergency access offered.
    expect(within(results).queryByRole('button', { name: 'Bris de glace…' })).toBeNull();

    await user.click(within(results).getByRole('button', { name: /Fermer le dossier de/ }));
    const dialog = screen.getByRole('dialog', { name: 'Fermer le dossier' });
    const submit = within(dialog).getByRole('button', { name: 'Fermer le dossier' }) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    await user.type(
      within(dialog).getByLabelText('Motif de fermeture (obligatoire)'),
      ' Demande du patient ',
    );
    await user.click(submit);
    expect(fake.callsTo('dossier.close')).toEqual([{ insKey: demoInsKey, reason: 'Demande du patient' }]);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(results.textContent).toContain('Dossier fermé');

    await user.click(within(results).getByRole('button', { name: /Réactiver le dossier de/ }));
    expect(fake.callsTo('dossier.reactivate')).toEqual([{ insKey: demoInsKey }]);
    await waitFor(() => expect(results.textContent).not.toContain('Dossier fermé'));
  });
});
