/**
 * A failed rank's last lines often name a cause the user can fix from the app; turn the common
 * ones into advice. Pure.
 */
export function failureHint(lastLines: readonly string[], python: string): string | null {
  const text = lastLines.join('\n');
  const missing = /ModuleNotFoundError: No module named '([^']+)'/.exec(text);
  if (missing) {
    return (
      `The interpreter ${python} has no module "${missing[1]}": choose another one in Settings → Python ` +
      `(Doctor lists which interpreters have torch), set KFD_PYTHON, or install it (${python} -m pip install ${missing[1]!.split('.')[0]}).`
    );
  }
  if (/No such file or directory/.test(text) && /can't open file/.test(text)) {
    return 'The script named in spec.trainer.command was not found in the workspace folder.';
  }
  if (/Address already in use/i.test(text)) {
    return 'The rendezvous port was taken by another program; run the job again (a new free port is chosen each run).';
  }
  return null;
}
