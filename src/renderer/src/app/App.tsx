import { useState } from 'react';
import type { SessionState } from '../../../shared/contract';
import { useStore } from '../state/store';
import { CardBar } from '../features/card-bar/CardBar';
import { PinDialog } from '../features/card-bar/PinDialog';
import { SimulatorPanel } from '../features/simulator/SimulatorPanel';
import { LockScreen } from '../features/lock/LockScreen';
import { PatientWorkspace } from '../features/patient/PatientWorkspace';
import { AccessModeBanner } from '../features/access/AccessModeBanner';
import { SituationPicker } from '../features/situation/SituationPicker';
import { HostSettingsDialog } from '../features/host/HostSettingsDialog';

export function App(): React.JSX.Element {
  const session = useStore((s) => s.session);
  const simulation = useStore((s) => s.appInfo?.simulation ?? false);
  const warnings = useStore((s) => s.appInfo?.warnings);
  const [showSimulator, setShowSimulator] = useState(true);
  const [showSettings, setShowSettings] = useState(false);

  return (
    <div className="app">
      {/* One banner landmark for the whole top area, so warnings and the access banner sit inside a landmark too. */}
      <header className="app-top">
        <div className="app-header">
          <h1>
            Poste DMP
            {simulation && <span className="badge badge--test app-header__mode">Simulation</span>}
          </h1>
          <CardBar />
          {simulation && (
            <button
              type="button"
              className="link"
              onClick={() => setShowSimulator((v) => !v)}
              aria-expanded={showSimulator}
            >
              Simulateur
            </button>
          )}
          <button type="button" className="link" onClick={() => setShowSettings(true)}>
            Paramètres
          </button>
        </div>
        {warnings?.map((w) => (
          <p key={w} className="admin-warning" role="note">
            {w}
          </p>
        ))}
        <AccessModeBanner />
      </header>
      <div className="app-body">
        <main className="app-main">
          <MainContent session={session} />
        </main>
        {simulation && showSimulator && <SimulatorPanel />}
      </div>
      {showSettings && <HostSettingsDialog onClose={() => setShowSettings(false)} />}
    </div>
  );
}

/** Patient data is rendered only in the authenticated branch: every other state shows none of it. */
function MainContent({ session }: { session: SessionState | null }): React.JSX.Element {
  if (!session) return <p role="status">Connexion au service du poste…</p>;
  switch (session.status) {
    case 'no_card':
      return (
        <div className="panel">
          <h2>Bienvenue</h2>
          <p>Insérez votre carte CPS ou CPE pour commencer.</p>
        </div>
      );
    case 'pin_required':
    case 'pin_blocked':
      return <PinDialog session={session} />;
    case 'locked':
      return session.professional ? <PinDialog session={session} /> : <LockScreen />;
    case 'situation_required':
      return <SituationPicker session={session} />;
    case 'authenticated':
      return <PatientWorkspace session={session} />;
  }
}
