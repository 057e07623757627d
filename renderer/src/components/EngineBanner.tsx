import { useEngineStatus } from '../api/ApiProvider';
import { MissingIcon, RefreshIcon } from './Icons';
import { MessageText } from './MessageText';

/** Shown above every page while the engine does not answer, with its exact message. */
export function EngineBanner() {
  const { engine, recheckEngine } = useEngineStatus();
  if (engine.state !== 'error' || engine.code === 'unauthorized') return null;
  return (
    <div className="banner banner-error" role="alert" data-testid="engine-banner">
      <MissingIcon className="banner-icon" />
      <div className="banner-text">
        <strong>The engine is not answering.</strong> <MessageText text={engine.message} />
      </div>
      <button type="button" className="btn btn-small" onClick={recheckEngine}>
        <RefreshIcon size={13} />
        Try again
      </button>
    </div>
  );
}
