/** Shown when the professional card left its reader: nothing of the patient stays on screen. */
export function LockScreen(): React.JSX.Element {
  return (
    <div className="panel panel--lock" role="alert" data-testid="lock-screen">
      <h2>Session verrouillée</h2>
      <p>
        La carte professionnelle a été retirée. Réinsérez-la et saisissez votre code porteur pour continuer.
      </p>
    </div>
  );
}
