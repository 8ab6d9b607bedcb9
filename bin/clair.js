#!/usr/bin/env node
import { main } from '../dist/cli/clair.js';

await main(process.argv.slice(2));
