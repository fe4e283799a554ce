#!/bin/sh
# The benchmark's stand-in application: prints its configuration folder.
echo "benchapp: config in /srv/benchapp/etc"
