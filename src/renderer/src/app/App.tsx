import { useState } from 'react';
import { useStore } from '../state/store';
import { CardBar } from '../features/card-bar/CardBar';
import { PinDialog } from '../features/card-bar/PinDialog';
import { SimulatorPanel } from '../features/simulator/SimulatorPanel';
import { LockScreen } from '../features/lock/LockScreen';
import { PatientWorkspace } from '../features/patient/PatientWorkspace';

export function App(): React.JSX.Element {
  const session = useStore((s) => s.session);
  const appInfo = useStore((s) => s.appInfo);
  const [showSimulator, setShowSimulator] = useState(true);

  return (
    <div className="app">
      <header className="app-header">
        <h1>Poste DMP</h1>
        <CardBar />
        {appInfo?.simulation && (
          <button type="button" className="link" onClick={() => setShowSimulator((v) => !v)} aria-expanded={showSimulator}>
            Simulateur
          </button>
        )}
      </header>
      {appInfo?.warnings.map((w) => (
        <p key={w} className="admin-warning" role="note">
          {w}
        </p>
      ))}
      <div className="app-body">
        <main className="app-main">
          <MainContent />
        </main>
        {appInfo?.simulation && showSimulator && <SimulatorPanel />}
      </div>
      {session === null && <p className="sr-only">Chargement…</p>}
    </div>
  );

  function MainContent(): React.JSX.Element {
    if (!session) return <p>Connexion au service du poste…</p>;
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
      case 'authenticated':
        return <PatientWorkspace session={session} />;
    }
  }
}
