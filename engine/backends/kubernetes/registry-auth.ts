/**
 * Credentials for pushing a workspace image, found where the Docker CLI keeps them: the user's
 * Docker config (`auths`, or a credential helper named by `credHelpers` / `credsStore`). They go
 * to the engine in the push request's X-Registry-Auth header and are never stored by the app.
 * None found: an anonymous push (registries on localhost, or ones that allow it).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';

export interface RegistryAuth {
  username?: string;
  password?: string;
  identitytoken?: string;
  serveraddress: string;
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/** "registry.example.com:5000/team/img:tag" → "registry.example.com:5000". */
export function registryHost(image: string): string {
  const first = image.split('/')[0] ?? '';
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}

export function dockerConfigPath(env: NodeJS.ProcessEnv): string {
  return path.join(env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), '.docker'), 'config.json');
}

export async function registryAuth(image: string, env: NodeJS.ProcessEnv = process.env): Promise<RegistryAuth> {
  const host = registryHost(image);
  let config: DockerConfig = {};
  try {
    config = JSON.parse(readFileSync(dockerConfigPath(env), 'utf8')) as DockerConfig;
  } catch {
    return { serveraddress: host };
  }
  const entry = config.auths?.[host] ?? config.auths?.[`https://${host}`];
  if (entry?.auth) {
    const [username, ...rest] = Buffer.from(entry.auth, 'base64').toString('utf8').split(':');
    return { username: username ?? '', password: rest.join(':'), serveraddress: host };
  }
  if (entry?.identitytoken) return { identitytoken: entry.identitytoken, serveraddress: host };
  const helper = config.credHelpers?.[host] ?? config.credsStore;
  if (helper) {
    const r = await execa(`docker-credential-${helper}`, ['get'], { input: host, reject: false, env, extendEnv: false });
    if (r.exitCode === 0) {
      const c = JSON.parse(String(r.stdout)) as { Username?: string; Secret?: string };
      return c.Username === '<token>' ? { identitytoken: c.Secret ?? '', serveraddress: host } : { username: c.Username ?? '', password: c.Secret ?? '', serveraddress: host };
    }
  }
  return { serveraddress: host };
}
