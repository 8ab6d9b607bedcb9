#!/usr/bin/env node
import { main } from '../dist/cli/clairctl.js';

await main(process.argv.slice(2));
