#!/usr/bin/env bash
# Builds one of kcluster's static helpers: build-static.sh SOURCE.c NAME writes NAME-linux-<arch> next
# to SOURCE.c (committed, so installing kcluster needs no compiler). Static and stripped, so an image
# or a bind mount needs this one file and nothing else.
set -euo pipefail
source_file=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
case "$(uname -m)" in
  x86_64) arch=amd64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "build-static.sh: unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
out="$(dirname "$source_file")/$2-linux-$arch"
${CC:-gcc} -static -Os -s -Wall -Wextra -Werror -o "$out" "$source_file"
echo "built $out ($(wc -c <"$out") bytes)"
