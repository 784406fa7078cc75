import type { AccessMode } from '../../../../shared/contract';
import { getApi } from '../../api/client';
import { ReasonDialog } from '../../components/ReasonDialog';

type ExceptionalMode = Exclude<AccessMode, 'normal'>;

const copy: Record<ExceptionalMode, { title: string; explanation: string; submit: string }> = {
  bris_de_glace: {
    title: 'Accès en bris de glace',
    explanation:
      'À n’utiliser que si le patient ne peut pas exprimer sa volonté et que son état présente un risque immédiat. ' +
      'L’accès est tracé, motif compris, et le patient en sera informé. Il est refusé si le patient s’y est opposé.',
    submit: 'Ouvrir en bris de glace',
  },
  centre_15: {
    title: 'Accès Centre 15 (régulation)',
    explanation:
      'Réservé au médecin régulateur du SAMU pour la personne concernée par l’appel. L’accès est tracé, motif compris, ' +
      'et refusé si le patient s’y est opposé.',
    submit: 'Ouvrir en mode Centre 15',
  },
};

/** The reason is mandatory: the submit button stays disabled until it holds more than blanks. */
export function AccessReasonDialog(props: {
  mode: ExceptionalMode;
  insKey: string;
  patientLabel: string;
  onClose(): void;
}): React.JSX.Element {
  const text = copy[props.mode];
  return (
    <ReasonDialog
      title={text.title}
      tone="alert"
      label="Motif (obligatoire)"
      maxLength={1000}
      submitLabel={text.submit}
      onSubmit={async (reason) => {
        await getApi().patient.open({ insKey: props.insKey, mode: props.mode, reason });
      }}
      onClose={props.onClose}
    >
      <p>Patient : {props.patientLabel}</p>
      <p className="dialog__explanation">{text.explanation}</p>
    </ReasonDialog>
  );
}
