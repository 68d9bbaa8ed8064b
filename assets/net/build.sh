#!/usr/bin/env bash
# Builds kcluster-addr (addr.c), the static helper the in-network proxy uses to hold ClusterIPs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/../build-static.sh" "$here/addr.c" kcluster-addr
