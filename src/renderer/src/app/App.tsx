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
import { ConnectionBanner, useLinkDown } from '../features/connection/ConnectionBanner';

export function App(): React.JSX.Element {
  const session = useStore((s) => s.session);
  const simulation = useStore((s) => s.appInfo?.simulation ?? false);
  const warnings = useStore((s) => s.appInfo?.warnings);
  const [showSimulator, setShowSimulator] = useState(true);
  const [showSettings, setShowSettings] = useState(false);
  // Link down: every action is disabled (inert) and the patient area is hidden but kept mounted, so
  // a form being filled in survives a short outage; it is shown again once the state is re-read.
  const linkDown = useLinkDown();

  return (
    <div className="app">
      {/* One banner landmark for the whole top area, so warnings and the access banner sit inside a landmark too. */}
      <header className="app-top">
        <ConnectionBanner />
        <div className="app-header" inert={linkDown}>
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
        {!linkDown && <AccessModeBanner />}
      </header>
      <div className="app-body" inert={linkDown}>
        <main className="app-main">
          {linkDown && (
            <p className="panel muted" role="status">
              Affichage masqué jusqu’au rétablissement de la connexion au service local.
            </p>
          )}
          <div hidden={linkDown}>
            <MainContent session={session} />
          </div>
        </main>
        {simulation && showSimulator && <SimulatorPanel />}
      </div>
      {showSettings && (
        <div inert={linkDown}>
          <HostSettingsDialog onClose={() => setShowSettings(false)} />
        </div>
      )}
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
