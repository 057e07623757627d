/** A code cell's outputs: streams, rich MIME bundles, and errors with their ANSI tracebacks. */
import type { NbOutput } from '../../../engine/api/contract';
import { NotebookAnsi } from './NotebookAnsi';
import { FoldedText } from './FoldedText';
import { MimeOutput } from './MimeOutput';
import { joinText } from './notebook-doc';

function ErrorOutput({ output }: { output: NbOutput }) {
  const traceback = Array.isArray(output.traceback) ? (output.traceback as unknown[]).map(String).join('\n') : '';
  return (
    <pre className="nb-pre nb-error" data-testid="output-error">
      <NotebookAnsi text={traceback || `${String(output.ename)}: ${String(output.evalue)}`} />
    </pre>
  );
}

function OneOutput({ output }: { output: NbOutput }) {
  switch (output.output_type) {
    case 'stream':
      return (
        <div className={`nb-stream nb-${output.name === 'stderr' ? 'stderr' : 'stdout'}`} data-testid="output-stream">
          <FoldedText text={joinText(output.text).replace(/\r$/, '')} ansi />
        </div>
      );
    case 'error':
      return <ErrorOutput output={output} />;
    default:
      return <MimeOutput data={(output.data as Record<string, unknown>) ?? {}} metadata={output.metadata} />;
  }
}

export function OutputArea({ outputs, executionCount }: { outputs: readonly NbOutput[]; executionCount: number | null }) {
  if (outputs.length === 0) return null;
  return (
    <div className="nb-outputs" data-testid="cell-outputs">
      {outputs.map((output, i) => (
        <div className="nb-output" key={i} data-output-type={output.output_type}>
          <div className="nb-prompt nb-out-prompt" aria-hidden="true">
            {output.output_type === 'execute_result' ? `[${executionCount ?? ' '}]:` : ''}
          </div>
          <div className="nb-output-body">
            <OneOutput output={output} />
          </div>
        </div>
      ))}
    </div>
  );
}
