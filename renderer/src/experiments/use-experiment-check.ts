/**
 * experiment.yaml in the workspace editor gets what trainjob.yaml gets: the Experiment JSON schema
 * for hovers and completion, and the engine's own checks as you type (`experiments.validate`,
 * the messages `kfd tune` gives) as markers and a problems list.
 */
import { useEffect, useState } from 'react';
import type { SpecIssue } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';
import { setYamlSchemas } from '../editor/editor-bridge';
import { useDebounced } from '../jobs/use-now';

export const isExperimentPath = (p: string | undefined): boolean => !!p && /(^|\/)experiment\.ya?ml$/.test(p);

let schemaSet = false;

export function useExperimentFileCheck(path: string | undefined, text: string | undefined): { text: string; errors: SpecIssue[]; warnings: SpecIssue[] } | null {
  const api = useApi();
  const active = isExperimentPath(path) && text !== undefined;
  const settled = useDebounced(active ? text : undefined, 300);
  const [result, setResult] = useState<{ text: string; errors: SpecIssue[]; warnings: SpecIssue[] } | null>(null);
  useEffect(() => {
    if (!active || schemaSet) return;
    schemaSet = true;
    api
      .call('experiments.jsonSchema', {})
      .then((schema) => setYamlSchemas([{ fileMatch: ['**/experiment.yaml', '**/experiment.yml'], uri: 'kfd://schemas/experiment.json', schema }]))
      .catch(() => (schemaSet = false));
  }, [api, active]);
  useEffect(() => {
    if (settled === undefined) return;
    let alive = true;
    api
      .call('experiments.validate', { text: settled })
      .then((r) => alive && setResult({ text: settled, errors: r.errors, warnings: r.warnings }))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [api, settled]);
  return active && result && result.text === text ? result : null;
}
