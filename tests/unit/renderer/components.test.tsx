// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { useState } from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Tabs } from '../../../src/renderer/src/components/Tabs';
import { Dialog } from '../../../src/renderer/src/components/Dialog';
import { ErrorAlert } from '../../../src/renderer/src/components/ErrorAlert';
import { FormActions } from '../../../src/renderer/src/components/FormActions';
import './support/render';

function TabsHarness(): React.JSX.Element {
  const [active, setActive] = useState<string>('a');
  return (
    <Tabs
      label="Essai"
      tabs={[
        { key: 'a', label: 'Alpha' },
        { key: 'b', label: 'Bêta' },
        { key: 'c', label: 'Gamma' },
      ]}
      active={active}
      onChange={setActive}
    >
      <p>Panneau {active}</p>
    </Tabs>
  );
}

describe('Tabs', () => {
  it('is a tablist where arrows, Home and End move both selection and focus, wrapping around', async () => {
    const user = userEvent.setup();
    render(<TabsHarness />);
    expect(screen.getByRole('tablist', { name: 'Essai' })).toBeTruthy();
    const alpha = screen.getByRole('tab', { name: 'Alpha' });
    expect(alpha.getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tab', { name: 'Bêta' }).tabIndex).toBe(-1);

    alpha.focus();
    await user.keyboard('{ArrowRight}');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Bêta' }));
    expect(screen.getByRole('tabpanel').textContent).toBe('Panneau b');

    await user.keyboard('{End}');
    expect(screen.getByRole('tab', { name: 'Gamma' }).getAttribute('aria-selected')).toBe('true');
    await user.keyboard('{ArrowRight}');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Alpha' }));
    await user.keyboard('{ArrowLeft}');
    expect(screen.getByRole('tabpanel').textContent).toBe('Panneau c');
    await user.keyboard('{Home}');
    expect(screen.getByRole('tabpanel').textContent).toBe('Panneau a');
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe(
      screen.getByRole('tab', { name: 'Alpha' }).id,
    );
  });
});

function DialogHarness({ onClose }: { onClose(): void }): React.JSX.Element {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Ouvrir
      </button>
      {open && (
        <Dialog
          title="Confirmer"
          onClose={() => {
            onClose();
            setOpen(false);
          }}
        >
          <button type="button">Premier</button>
          <button type="button">Dernier</button>
        </Dialog>
      )}
    </>
  );
}

describe('Dialog', () => {
  it('moves focus in, traps Tab in both directions, closes on Escape and gives focus back', async () => {
    const user = userEvent.setup();
    const onClose = vi.fn();
    render(<DialogHarness onClose={onClose} />);
    const opener = screen.getByRole('button', { name: 'Ouvrir' });
    await user.click(opener);
    const dialog = screen.getByRole('dialog', { name: 'Confirmer' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Premier' }));

    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Dernier' }));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Premier' }));
    await user.tab({ shift: true });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Dernier' }));

    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });
});

describe('ErrorAlert', () => {
  it('announces a message as an alert, with the id a field points at, and renders nothing without one', () => {
    const { container, rerender } = render(<ErrorAlert id="pin-error">Code incorrect.</ErrorAlert>);
    const alert = screen.getByRole('alert');
    expect(alert.tagName).toBe('P');
    expect(alert.id).toBe('pin-error');
    expect(alert.className).toBe('error');
    expect(alert.textContent).toBe('Code incorrect.');
    for (const nothing of [null, undefined, '', false]) {
      rerender(<ErrorAlert>{nothing}</ErrorAlert>);
      expect(container.innerHTML).toBe('');
    }
  });
});

describe('FormActions', () => {
  it('puts « Annuler » first, which cancels without submitting the form, then the caller’s buttons', async () => {
    const user = userEvent.setup();
    const onCancel = vi.fn();
    const onSubmit = vi.fn((e: React.FormEvent) => e.preventDefault());
    render(
      <form onSubmit={onSubmit}>
        <FormActions onCancel={onCancel}>
          <button type="submit">Enregistrer</button>
        </FormActions>
      </form>,
    );
    expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual(['Annuler', 'Enregistrer']);
    await user.click(screen.getByRole('button', { name: 'Annuler' }));
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(onSubmit).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Enregistrer' }));
    expect(onSubmit).toHaveBeenCalledTimes(1);
  });
});
