#!/usr/bin/env bash
# Makes a Docker engine answer (installs Debian's docker.io and starts dockerd when none answers),
# then builds the local test image kcluster-test/busybox:1 from Debian's busybox-static and tags it
# again as kcluster-test/busybox:2 (rollouts need a second image): no registry is ever contacted. Idempotent. Used by .ci/run; the Docker runtime's tests (issue 4) need both.
set -euo pipefail
if ! docker info >/dev/null 2>&1; then
  if ! command -v dockerd >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq docker.io >/dev/null
  fi
  "$(dirname "$0")/dockerd-start.sh"
fi
echo "docker: $(docker version --format '{{.Server.Version}}') answering"

tag=kcluster-test/busybox:1
if ! docker image inspect "$tag" >/dev/null 2>&1; then
  if [ ! -x /bin/busybox ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq busybox-static >/dev/null
  fi
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' EXIT
  cp /bin/busybox "$dir/busybox"
  printf 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nCMD ["/bin/sh"]\n' >"$dir/Dockerfile"
  DOCKER_BUILDKIT=0 docker build -q -t "$tag" "$dir" >/dev/null
fi
echo "image $tag present"
# The same image under a second tag: a rollout from :1 to :2 changes the pod template, not the bytes.
docker tag "$tag" kcluster-test/busybox:2
echo "image kcluster-test/busybox:2 present"

# kcluster-test/netbox:1: Debian's dynamically linked busybox with the glibc libraries it needs, so
# its nc and nslookup resolve names as a pod's programs do (search path, ndots), which the static
# busybox cannot. Fetched as a Debian package (apt-get download), never from a registry.
netbox=kcluster-test/netbox:1
if ! docker image inspect "$netbox" >/dev/null 2>&1; then
  work=$(mktemp -d)
  (
    cd "$work"
    apt-get download busybox >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get download busybox >/dev/null; }
    dpkg-deb -x busybox_*.deb pkg
    mkdir -p ctx/bin ctx/etc
    cp pkg/bin/busybox ctx/bin/busybox
    for lib in $(ldd pkg/bin/busybox | grep -o '/[^ ]*'); do
      mkdir -p "ctx$(dirname "$lib")" && cp -L "$lib" "ctx$lib"
    done
    echo 'hosts: files dns' >ctx/etc/nsswitch.conf
    printf 'FROM scratch\nCOPY . /\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nCMD ["/bin/sh"]\n' >ctx/Dockerfile
    DOCKER_BUILDKIT=0 docker build -q -t "$netbox" ctx >/dev/null 2>&1
  )
  rm -rf "$work"
fi
echo "image $netbox present"
