// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DocumentsTab } from '../../../src/renderer/src/features/dossier/DocumentsTab';
import { base64ToBytes } from '../../../src/renderer/src/lib/base64';
import { apiError, createFakeApi } from './support/fake-api';
import { demoInsKey, documentMeta } from './support/fixtures';
import { renderWithApi } from './support/render';
import type { DocumentMeta } from '../../../src/shared/contract';

const hidden = documentMeta({
  id: 'doc-2',
  title: 'Résultat de biologie',
  category: 'biologie',
  visibility: {
    hiddenFromPatient: true,
    maskedFromProfessionals: true,
    hiddenFromLegalRepresentatives: true,
  },
});
const archived = documentMeta({ id: 'doc-3', title: 'Ancienne ordonnance', status: 'archived' });
const obsolete = documentMeta({ id: 'doc-4', title: 'CR version 1', status: 'obsolete' });

describe('DocumentsTab', () => {
  it('lists documents with type, author, date and every visibility/status badge', async () => {
    const fake = createFakeApi({ 'documents.list': () => [documentMeta(), hidden, archived, obsolete] });
    renderWithApi(<DocumentsTab insKey={demoInsKey} />, fake.api);
    const row = (await screen.findByText('Résultat de biologie')).closest('tr');
    expect(row).not.toBeNull();
    const badges = within(row as HTMLElement).getByRole('list', { name: 'Visibilité et statut' }).textContent;
    expect(badges).toContain('Masqué aux professionnels');
    expect(badges).toContain('Non visible par le patient');
    expect(badges).toContain('Non visible par les représentants légaux');
    expect(screen.getByText('Ancienne ordonnance').closest('tr')?.textContent).toContain('Archivé');
    expect(screen.getByText('CR version 1').closest('tr')?.textContent).toContain('Obsolète');
    const first =
      screen.getByText('Compte rendu de consultation', { selector: 'strong' }).closest('tr')?.textContent ??
      '';
    expect(first).toContain('Dr Paul MEDECIN');
    expect(first).toContain('02/10/2026');
    expect(first).toContain('Comptes rendus');
    expect(fake.callsTo('documents.list')).toEqual([{ insKey: demoInsKey, filter: {} }]);
  });

  it('says "Aucune donnée" for an empty dossier', async () => {
    renderWithApi(<DocumentsTab insKey={demoInsKey} />, createFakeApi({ 'documents.list': () => [] }).api);
    expect(await screen.findByText('Aucune donnée')).toBeTruthy();
  });

  it('reloads with only the filters the user set (category, dates, archived)', async () => {
    const user = userEvent.setup();
    const fake = createFakeApi({ 'documents.list': () => [] });
    renderWithApi(<DocumentsTab insKey={demoInsKey} />, fake.api);
    await screen.findByText('Aucune donnée');
    await user.selectOptions(screen.getByLabelText('Catégorie'), 'Biologie');
    await user.type(screen.getByLabelText('Du'), '2026-01-01');
    await user.click(screen.getByLabelText('Inclure les archivés'));
    await waitFor(() =>
      expect(fake.callsTo('documents.list').at(-1)).toEqual({
        insKey: demoInsKey,
        filter: { category: 'biologie', from: '2026-01-01', includeArchived: true },
      }),
    );
    await user.selectOptions(screen.getByLabelText('Catégorie'), 'Toutes');
    await waitFor(() =>
      expect(fake.callsTo('documents.list').at(-1)).toEqual({
        insKey: demoInsKey,
        filter: { from: '2026-01-01', includeArchived: true },
      }),
    );
  });

  it('opens a document with its warnings before the content, the narrative in a script-less sandboxed frame', async () => {
    const user = userEvent.setup();
    const fake = createFakeApi({
      'documents.list': () => [hidden],
      'documents.get': () => ({
        meta: hidden,
        narrativeHtml: '<p>Hémoglobine 13 g/dL</p>',
        warnings: ['Ce document n’est pas visible par le patient.'],
      }),
    });
    renderWithApi(<DocumentsTab insKey={demoInsKey} />, fake.api);
    await user.click(await screen.findByRole('button', { name: 'Ouvrir « Résultat de biologie »' }));
    const dialog = screen.getByRole('dialog', { name: 'Résultat de biologie' });
    const warnings = await within(dialog).findByRole('alert', { name: 'Avertissements' });
    expect(warnings.textContent).toContain('pas visible par le patient');
    const frame = dialog.querySelector('iframe') as HTMLIFrameElement;
    expect(frame.getAttribute('sandbox')).toBe('');
    expect(frame.getAttribute('srcdoc')).toBe('<p>Hémoglobine 13 g/dL</p>');
    expect(warnings.compareDocumentPosition(frame) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(fake.callsTo('documents.get')).toEqual([{ insKey: demoInsKey, id: 'doc-2' }]);
  });

  it('refuses to display a "PDF" whose bytes are not a PDF', async () => {
    const user = userEvent.setup();
    const meta = documentMeta({ format: 'pdf' });
    const fake = createFakeApi({
      'documents.list': () => [meta],
      'documents.get': () => ({ meta, pdfBase64: btoa('<html>not a pdf</html>'), warnings: [] }),
    });
    renderWithApi(<DocumentsTab insKey={demoInsKey} />, fake.api);
    await user.click(await screen.findByRole('button', { name: /^Ouvrir/ }));
    expect((await screen.findByRole('alert')).textContent).toBe('Le PDF joint au document est illisible.');
    expect(screen.getByRole('dialog').querySelector('iframe')).toBeNull();
  });

  it('shows a refusal to open a document in the API’s words', async () => {
    const user = userEvent.setup();
    const fake = createFakeApi({
      'documents.list': () => [documentMeta()],
      'documents.get': () => {
        throw apiError('FORBIDDEN', 'Votre profession n’a pas accès à ce type de document.');
      },
    });
    renderWithApi(<DocumentsTab insKey={demoInsKey} />, fake.api);
    await user.click(await screen.findByRole('button', { name: /^Ouvrir/ }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Votre profession n’a pas accès à ce type de document.',
    );
  });

  it('archives an approved document and restores an archived one, then reloads', async () => {
    const user = userEvent.setup();
    let docs: DocumentMeta[] = [documentMeta(), archived];
    const fake = createFakeApi({
      'documents.list': () => docs,
      'documents.update': (input) => {
        const updated = {
          ...(docs.find((d) => d.id === input.id) as DocumentMeta),
          status: input.status ?? 'approved',
        };
        docs = docs.map((d) => (d.id === input.id ? updated : d));
        return updated;
      },
    });
    renderWithApi(<DocumentsTab insKey={demoInsKey} />, fake.api);
    await user.click(
      await screen.findByRole('button', { name: 'Archiver « Compte rendu de consultation »' }),
    );
    await user.click(screen.getByRole('button', { name: 'Restaurer « Ancienne ordonnance »' }));
    expect(fake.callsTo('documents.update')).toEqual([
      { insKey: demoInsKey, id: 'doc-1', status: 'archived' },
      { insKey: demoInsKey, id: 'doc-3', status: 'approved' },
    ]);
    await screen.findByRole('button', { name: 'Restaurer « Compte rendu de consultation »' });
    expect(fake.callsTo('documents.list').length).toBeGreaterThanOrEqual(3);
  });

  it('deposits a file as base64 with the three visibility choices', async () => {
    const user = userEvent.setup();
    const deposited = documentMeta({ id: 'doc-new', title: 'Lettre' });
    const fake = createFakeApi({ 'documents.list': () => [], 'documents.deposit': () => deposited });
    renderWithApi(<DocumentsTab insKey={demoInsKey} />, fake.api);
    await user.click(await screen.findByRole('button', { name: 'Déposer un document' }));
    const dialog = screen.getByRole('dialog', { name: 'Déposer un document' });
    const submit = within(dialog).getByRole('button', { name: 'Déposer' }) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    const content = 'Lettre de liaison — contenu de test';
    await user.upload(
      within(dialog).getByLabelText('Fichier (CDA, PDF ou texte)'),
      new File([content], 'lettre.txt', { type: 'text/plain' }),
    );
    expect(submit.disabled).toBe(true); // a text deposit needs its type
    await user.selectOptions(
      within(dialog).getByLabelText(/^Type de document/),
      'Compte rendu de consultation ou de visite',
    );
    await user.type(within(dialog).getByLabelText('Titre (facultatif)'), 'Lettre');
    await user.click(within(dialog).getByLabelText('Non visible par le patient'));
    await user.click(within(dialog).getByLabelText('Non visible par les représentants légaux'));
    await user.click(submit);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const [call] = fake.callsTo('documents.deposit') as { contentBase64: string }[];
    expect(call).toMatchObject({
      insKey: demoInsKey,
      fileName: 'lettre.txt',
      title: 'Lettre',
      typeCode: '11488-4',
      visibility: {
        hiddenFromPatient: true,
        maskedFromProfessionals: false,
        hiddenFromLegalRepresentatives: true,
      },
    });
    expect(new TextDecoder().decode(base64ToBytes(call?.contentBase64 ?? ''))).toBe(content);
  });

  it('changes a document’s visibility, and shows the main process’s refusal of a forbidden combination', async () => {
    const user = userEvent.setup();
    let calls = 0;
    const fake = createFakeApi({
      'documents.list': () => [documentMeta()],
      'documents.update': (input) => {
        calls += 1;
        if (calls === 1)
          throw apiError(
            'INVALID_INPUT',
            'Un document ne peut pas être à la fois invisible pour le patient et masqué.',
          );
        return documentMeta({ visibility: input.visibility });
      },
    });
    renderWithApi(<DocumentsTab insKey={demoInsKey} />, fake.api);
    await user.click(
      await screen.findByRole('button', { name: 'Visibilité de « Compte rendu de consultation »' }),
    );
    const dialog = screen.getByRole('dialog', { name: 'Visibilité — Compte rendu de consultation' });
    const save = within(dialog).getByRole('button', { name: 'Enregistrer' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    await user.click(within(dialog).getByLabelText('Non visible par le patient'));
    await user.click(within(dialog).getByLabelText('Masqué aux professionnels'));
    await user.click(save);
    expect((await within(dialog).findByRole('alert')).textContent).toMatch(
      /à la fois invisible pour le patient et masqué/,
    );
    await user.click(within(dialog).getByLabelText('Non visible par le patient'));
    await user.click(save);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(fake.callsTo('documents.update')).toEqual([
      {
        insKey: demoInsKey,
        id: 'doc-1',
        visibility: {
          hiddenFromPatient: true,
          maskedFromProfessionals: true,
          hiddenFromLegalRepresentatives: false,
        },
      },
      {
        insKey: demoInsKey,
        id: 'doc-1',
        visibility: {
          hiddenFromPatient: false,
          maskedFromProfessionals: true,
          hiddenFromLegalRepresentatives: false,
        },
      },
    ]);
  });

  it('sends no type for a CDA, which names its own', async () => {
    const user = userEvent.setup();
    const fake = createFakeApi({ 'documents.list': () => [], 'documents.deposit': () => documentMeta() });
    renderWithApi(<DocumentsTab insKey={demoInsKey} />, fake.api);
    await user.click(await screen.findByRole('button', { name: 'Déposer un document' }));
    const dialog = screen.getByRole('dialog');
    await user.upload(
      within(dialog).getByLabelText('Fichier (CDA, PDF ou texte)'),
      new File(['<ClinicalDocument/>'], 'cr.xml', { type: 'text/xml' }),
    );
    expect((within(dialog).getByLabelText(/^Type de document/) as HTMLSelectElement).disabled).toBe(true);
    await user.click(within(dialog).getByRole('button', { name: 'Déposer' }));
    await waitFor(() => expect(fake.callsTo('documents.deposit')).toHaveLength(1));
    expect(fake.callsTo('documents.deposit')[0]).not.toHaveProperty('typeCode');
  });

  it('refuses an empty file before sending anything', async () => {
    const user = userEvent.setup();
    const fake = createFakeApi({ 'documents.list': () => [] });
    renderWithApi(<DocumentsTab insKey={demoInsKey} />, fake.api);
    await user.click(await screen.findByRole('button', { name: 'Déposer un document' }));
    const dialog = screen.getByRole('dialog');
    await user.upload(within(dialog).getByLabelText('Fichier (CDA, PDF ou texte)'), new File([], 'vide.pdf'));
    expect(within(dialog).getByRole('alert').textContent).toBe('Le fichier est vide.');
    expect((within(dialog).getByRole('button', { name: 'Déposer' }) as HTMLButtonElement).disabled).toBe(
      true,
    );
  });
});
