import { useEffect, useId, useState } from 'react';
import { getApi } from '../../api/client';
import { toUiError } from '../../api/errors';
import type { MethodOutput } from '../../../../shared/contract';
import { useStore } from '../../state/store';

type Profiles = MethodOutput<'simulator.profiles'>;

/** Only in simulation mode: insert or remove a virtual card in each simulated reader. */
export function SimulatorPanel(): React.JSX.Element {
  const readers = useStore((s) => s.readers);
  const [profiles, setProfiles] = useState<Profiles>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    getApi()
      .simulator.profiles({})
      .then(setProfiles)
      .catch((err: unknown) => setError(toUiError(err).message));
  }, []);

  return (
    <aside className="simulator" aria-label="Simulateur de cartes">
      <h2>Simulateur de cartes</h2>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {readers.map((reader) => (
        <SimulatedReader
          key={reader.name}
          reader={reader.name}
          present={reader.card !== null}
          profiles={profiles}
          onError={setError}
        />
      ))}
    </aside>
  );
}

function SimulatedReader(props: {
  reader: string;
  present: boolean;
  profiles: Profiles;
  onError(message: string): void;
}): React.JSX.Element {
  const id = useId();
  const [profileId, setProfileId] = useState('');
  const api = getApi();
  const run = (action: Promise<unknown>): void => {
    action.catch((err: unknown) => props.onError(toUiError(err).message));
  };
  return (
    <div className="simulator__reader">
      <label htmlFor={id}>{props.reader}</label>
      <select id={id} value={profileId} onChange={(e) => setProfileId(e.target.value)}>
        <option value="">— choisir une carte —</option>
        {props.profiles.map((p) => (
          <option key={p.id} value={p.id}>
            {p.label}
          </option>
        ))}
      </select>
      <button
        type="button"
        disabled={!profileId}
        onClick={() => run(api.simulator.insert({ reader: props.reader, profileId }))}
      >
        Insérer
      </button>
      <button
        type="button"
        disabled={!props.present}
        onClick={() => run(api.simulator.remove({ reader: props.reader }))}
      >
        Retirer
      </button>
    </div>
  );
}
