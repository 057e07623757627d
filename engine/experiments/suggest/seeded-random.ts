/**
 * A small seeded generator (mulberry32, seeded through splitmix32) so `random_state` gives the
 * same suggestions on every machine and every run. Not for anything secret.
 */
export type Rng = () => number;

function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The generator for suggestion number `index` of an experiment seeded with `seed`. */
export function rngFor(seed: number, index: number): Rng {
  return mulberry32(splitmix32(splitmix32(seed | 0) ^ Math.imul(index + 1, 0x27d4eb2d)));
}
