#!/usr/bin/env node
import "../dist/src/dashboard/main.js";
