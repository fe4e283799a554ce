#!/usr/bin/env node
// The bundled CLI (scripts/build-cli.mjs, run by `npm run build`): one file to load, not hundreds of modules.
import "../dist/cli/rosey-apply.mjs";
