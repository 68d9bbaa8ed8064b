#!/usr/bin/env bash
# Builds kcluster-addr (addr.c), the static helper the in-network proxy uses to hold ClusterIPs.
# Output: kcluster-addr-linux-<arch> next to this script (committed, so installing kcluster needs no
# compiler). Static and stripped, like the pause binary beside it (assets/pause/build.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
case "$(uname -m)" in
  x86_64) arch=amd64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "build.sh: unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
out="$here/kcluster-addr-linux-$arch"
${CC:-gcc} -static -Os -s -Wall -Wextra -Werror -o "$out" "$here/addr.c"
echo "built $out ($(wc -c <"$out") bytes)"
