import { useEngineStatus } from '../api/ApiProvider';
import { splitCodeSpans } from './message-text';

/** An engine message with its `code spans` rendered as code. */
export function MessageText({ text }: { text: string }) {
  return (
    <span className="pre-wrap">
      {splitCodeSpans(text).map((part, i) => (part.code ? <code key={i}>{part.text}</code> : <span key={i}>{part.text}</span>))}
    </span>
  );
}

/**
 * A section's own error. When it is just "the engine is down" (already in the banner above
 * every page), say so briefly instead of repeating the whole message.
 */
export function InlineError({ prefix, message }: { prefix: string; message: string }) {
  const { engine } = useEngineStatus();
  const sameAsBanner = engine.state === 'error' && engine.message === message;
  return (
    <p className="field-error" role="alert">
      {sameAsBanner ? `${prefix}: the engine is not answering (see above).` : <>{prefix}: <MessageText text={message} /></>}
    </p>
  );
}
