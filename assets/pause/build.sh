#!/usr/bin/env bash
# Builds the pod sandbox binary that kcluster imports as the image kcluster/pause:<version>.
# Rerun after editing pause.c and bump PAUSE_VERSION in src/cluster/runtime/docker/pause-image.ts so
# existing engines import the new one.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/../build-static.sh" "$here/pause.c" pause
