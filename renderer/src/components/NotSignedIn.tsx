import { LogoIcon } from './Icons';

/** Web mode after HTTP 401: the token is missing or stale. */
export function NotSignedIn() {
  return (
    <main className="signed-out" data-testid="not-signed-in">
      <div className="signed-out-card">
        <LogoIcon size={32} className="accent" />
        <h1>Not signed in</h1>
        <p>
          Open the link printed by <code>kfd serve</code> (it carries the access token).
        </p>
        <p className="muted">
          It looks like <code>http://127.0.0.1:&lt;port&gt;/?token=…</code>. If that terminal is gone, start the
          server again and open the new link it prints.
        </p>
      </div>
    </main>
  );
}
