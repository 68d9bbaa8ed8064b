#!/usr/bin/env bash
# Builds the pod sandbox binary that kcluster imports as the image kcluster/pause:<version>.
# Output: pause-linux-<arch> next to this script (committed, so installing kcluster needs no compiler).
# Static and stripped so the image is this one file; rerun after editing pause.c and bump
# PAUSE_VERSION in src/cluster/runtime/docker/pause-image.ts so existing engines import the new one.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
case "$(uname -m)" in
  x86_64) arch=amd64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "build.sh: unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
out="$here/pause-linux-$arch"
${CC:-gcc} -static -Os -s -Wall -Wextra -Werror -o "$out" "$here/pause.c"
echo "built $out ($(wc -c <"$out") bytes)"
