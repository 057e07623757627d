import { useCallback, useEffect, useReducer, useRef } from 'react';
import { useApi } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { CheckRow } from '../components/CheckRow';
import { RefreshIcon, Spinner } from '../components/Icons';
import { InlineError } from '../components/MessageText';
import { doctorReducer, initialDoctorState, summarize } from './doctor-state';

export function DoctorPage() {
  const api = useApi();
  const [state, dispatch] = useReducer(doctorReducer, initialDoctorState);
  const runId = useRef(0);

  const run = useCallback(async () => {
    const id = ++runId.current;
    const current = () => id === runId.current;
    try {
      const checks = await api.call('doctor.list', {});
      if (!current()) return;
      dispatch({ type: 'listed', checks });
      dispatch({ type: 'started' });
      const results = await api.call('doctor.run', {});
      if (current()) dispatch({ type: 'runFinished', results });
    } catch (err) {
      if (current()) dispatch({ type: 'failed', message: errorText(err) });
    }
  }, [api]);

  // Subscribe before running so no `doctor.checkFinished` is missed.
  useEffect(() => api.on('doctor.checkFinished', (result) => dispatch({ type: 'checkFinished', result })), [api]);
  useEffect(() => {
    void run();
    return () => {
      runId.current += 1; // a run still in flight no longer updates this page
    };
  }, [run]);

  const { rows, running, error } = state;
  const loading = rows.length === 0 && !error;

  return (
    <div className="page page-doctor" data-testid="page-doctor">
      <div className="toolbar">
        <p className="summary" data-testid="doctor-summary" aria-live="polite">
          {loading ? (
            <>
              <Spinner /> Loading checks…
            </>
          ) : rows.length > 0 ? (
            summarize(rows, running)
          ) : null}
        </p>
        {/* Always clickable: a new run supersedes one still in flight. */}
        <button type="button" className="btn" aria-busy={running} onClick={() => void run()}>
          {running ? <Spinner size={13} /> : <RefreshIcon size={13} />}
          Run again
        </button>
      </div>

      {error ? (
        <div data-testid="doctor-error">
          <InlineError prefix="Doctor could not finish" message={error} />
        </div>
      ) : null}

      {rows.length > 0 ? (
        <ul className="check-list" aria-label="Checks">
          {rows.map((row) => (
            <CheckRow key={row.id} row={row} stalled={!running} />
          ))}
        </ul>
      ) : null}
    </div>
  );
}
