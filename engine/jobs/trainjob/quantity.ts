/**
 * Kubernetes resource quantities ("500m", "2", "4Gi", "1e3", "512Mi") as plain numbers in base
 * units (cores, bytes, devices). Pure; mirrors the grammar of k8s.io/apimachinery's
 * resource.Quantity so a value that passes here is accepted by the API server too.
 */

const binarySI: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const decimalSI: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

// The exponent form is tried before the decimal suffixes so "1e3" is 1000, while "1E" is one exa.
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei)|[eE]([+-]?\d+)|(n|u|m|k|M|G|T|P|E)?)$/;

/** The value in base units, or `null` when `input` is not a quantity. YAML numbers are accepted as-is. */
export function parseQuantity(input: string | number): number | null {
  if (typeof input === 'number') return Number.isFinite(input) ? input : null;
  const match = QUANTITY.exec(input);
  if (!match) return null;
  const [, num, bin, exp, dec] = match;
  const value = Number(num);
  if (bin) return value * binarySI[bin]!;
  if (exp !== undefined) return value * 10 ** Number(exp);
  return value * decimalSI[dec ?? '']!;
}

/** True for a quantity that is zero or more (what resource requests and limits require). */
export function isNonNegativeQuantity(input: unknown): boolean {
  if (typeof input !== 'string' && typeof input !== 'number') return false;
  const value = parseQuantity(input);
  return value !== null && value >= 0;
}

/**
 * Whole units rounded up, as resource.Quantity.Value() does: "500m" CPU is 1, "1.5" is 2.
 * Trainer uses this rounding when it derives processes per node from a CPU limit.
 */
export function quantityCeil(input: string | number): number | null {
  const value = parseQuantity(input);
  // Round away float noise first ("0.1"×3 style) so exact integers do not become n+1.
  return value === null ? null : Math.ceil(Number(value.toPrecision(12)));
}
