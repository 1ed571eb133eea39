#!/usr/bin/env node
// The emulators are TypeScript run through tsx, as everywhere in this repository.
require('tsx/cjs');
require('../src/cli/main.ts');
