#!/usr/bin/env node
// The package ships TypeScript sources (no build step, like the rest of the repository): load them through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
