import { useCallback, useEffect, useState } from 'react';
import type { DossierRef, MethodOutput, PatientContext, Professional } from '../../../../shared/contract';
import { getApi } from '../../api/client';
import { toUiError } from '../../api/errors';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { displayName } from '../patient/format';
import { GovernanceDialog } from './GovernanceDialog';
import { ErrorAlert } from '../../components/ErrorAlert';

type Professionals = MethodOutput<'dossier.professionals'>;

/**
 * The patient's choices about their DMP, recorded by the professional in session: médecin traitant,
 * blocked professionals, closing. Kept on their own tab, away from the buttons that open things.
 */
export function DossierManagementTab(props: {
  dossier: DossierRef;
  patient: PatientContext;
  professional: Professional | null;
}): React.JSX.Element {
  const { dossier, patient, professional } = props;
  const [people, setPeople] = useState<Professionals | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [closing, setClosing] = useState(false);
  const [confirm, setConfirm] = useState<{ title: string; text: string; run(): Promise<unknown> } | null>(
    null,
  );
  const patientPresent = patient.source === 'vitale';
  const isDoctor = professional?.cardKind === 'cps' && professional.holder.professionCode === '10';
  const self = professional?.holder.nationalId;

  const reload = useCallback((): void => {
    getApi()
      .dossier.professionals({ insKey: dossier.insKey })
      .then(setPeople)
      .catch((err: unknown) => setError(toUiError(err).message));
  }, [dossier.insKey]);
  useEffect(reload, [reload]);

  const perform = async (run: () => Promise<unknown>): Promise<void> => {
    setError(null);
    try {
      await run();
      reload();
    } catch (err) {
      setError(toUiError(err).message);
    }
  };
  const treating = people?.find((p) => p.treatingPhysician);

  return (
    <div className="management">
      <ErrorAlert>{error}</ErrorAlert>
      <section aria-labelledby="treating-title">
        <h3 id="treating-title">Médecin traitant</h3>
        <p>
          {treating
            ? `Médecin traitant déclaré : ${treating.name}.`
            : 'Aucun médecin traitant n’est déclaré dans ce DMP.'}
        </p>
        {isDoctor && treating?.nationalId !== self && (
          <button
            type="button"
            className="secondary"
            disabled={!patientPresent}
            onClick={() =>
              setConfirm({
                title: 'Me déclarer médecin traitant',
                text: 'Le patient, présent, accepte que vous soyez son médecin traitant : vous verrez tous ses documents, y compris ceux masqués aux autres professionnels.',
                run: () =>
                  getApi().dossier.declareTreatingPhysician({ insKey: dossier.insKey, patientConsent: true }),
              })
            }
          >
            Me déclarer médecin traitant (accord du patient)…
          </button>
        )}
        {isDoctor && !patientPresent && (
          <p className="muted">La déclaration se fait avec le patient présent (carte Vitale lue).</p>
        )}
      </section>
      <section aria-labelledby="pros-title">
        <h3 id="pros-title">Professionnels autorisés ou bloqués par le patient</h3>
        {people?.length === 0 && <p className="empty">Aucun professionnel enregistré.</p>}
        {people && people.length > 0 && (
          <ul className="results" aria-label="Professionnels du dossier">
            {people.map((p) => (
              <li key={p.nationalId} className="result">
                <span>
                  {p.name} · {p.relation === 'blocked' ? 'bloqué par le patient' : 'autorisé'}
                  {p.treatingPhysician && ' · médecin traitant'}
                </span>
                {!p.treatingPhysician && (
                  <button
                    type="button"
                    className="secondary"
                    onClick={() =>
                      setConfirm({
                        title:
                          p.relation === 'blocked'
                            ? 'Débloquer ce professionnel'
                            : 'Bloquer ce professionnel',
                        text:
                          p.relation === 'blocked'
                            ? `À la demande du patient, ${p.name} pourra de nouveau accéder au DMP s’il y est autorisé.`
                            : `À la demande du patient, ${p.name} ne pourra plus accéder à son DMP, même en urgence.`,
                        run: () =>
                          getApi().dossier.recordBlock({
                            insKey: dossier.insKey,
                            nationalId: p.nationalId,
                            blocked: p.relation !== 'blocked',
                            atPatientRequest: true,
                          }),
                      })
                    }
                  >
                    {p.relation === 'blocked'
                      ? 'Débloquer à la demande du patient…'
                      : 'Bloquer à la demande du patient…'}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="close-title" className="management__danger">
        <h3 id="close-title">Clôture du DMP</h3>
        <p className="muted">À la demande du patient uniquement (patient présent ou demande écrite).</p>
        <button type="button" className="danger" onClick={() => setClosing(true)}>
          Clôturer le DMP…
        </button>
      </section>
      {closing && (
        <GovernanceDialog
          action="close"
          dossier={dossier}
          patientLabel={displayName(dossier)}
          patientPresent={patientPresent}
          onDone={() => void getApi().patient.close({})}
          onClose={() => setClosing(false)}
        />
      )}
      {confirm && (
        <ConfirmDialog
          title={confirm.title}
          text={confirm.text}
          onConfirm={() => {
            const run = confirm.run;
            setConfirm(null);
            void perform(run);
          }}
          onClose={() => setConfirm(null)}
        />
      )}
    </div>
  );
}
