#!/usr/bin/env node
import "../dist/bot/src/main.js";
