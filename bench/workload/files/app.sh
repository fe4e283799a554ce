#!/bin/sh
# The benchmark's stand-in application, run by the benchapp-<role> units: it
# says it is up (a beat file in the runtime folder systemd gives it, which
# the health check waits for) and then waits.
echo "benchapp $1: config in /srv/benchapp/etc"
[ -n "$RUNTIME_DIRECTORY" ] && echo up > "$RUNTIME_DIRECTORY/beat"
exec sleep infinity
