import { InvalidArgumentError } from 'commander';

/** `--port 8080`: 0 means "any free port". */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new InvalidArgumentError(`"${value}" is not a port number (0-65535; 0 picks a free port).`);
  }
  return port;
}

/** `--nodes 2`, `--rank 0`: a whole number. */
export function parseCount(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`"${value}" is not a whole number.`);
  return Number(value);
}
