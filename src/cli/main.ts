#!/usr/bin/env node
// The `cdk8s-mesh` command; all logic lives in run.ts so that tests call it in-process.
import { processIo } from './io';
import { run } from './run';

process.exitCode = run(process.argv.slice(2), processIo());
