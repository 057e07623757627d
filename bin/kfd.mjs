#!/usr/bin/env node
// Runs the TypeScript CLI straight from source through tsx, so `npx kfd` works right after
// `npm ci` without a build step. (Packaged apps bundle the CLI instead.)
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/kfd.ts');
await main(process.argv);
