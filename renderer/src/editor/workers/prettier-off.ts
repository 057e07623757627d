// Stands in for prettier inside the YAML worker: formatting is switched off (format.enable =
// false in monaco-setup.ts), so the ~700 kB formatter is not bundled. Never called.
export function format(): never {
  throw new Error('YAML formatting is not included in Kubeflow Desktop.');
}
