#!/usr/bin/env node
import "../dist/src/vault/main.js";
