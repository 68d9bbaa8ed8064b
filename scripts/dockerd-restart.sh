#!/usr/bin/env bash
# Restarts the Docker engine started by dockerd-start.sh (or docker-up.sh): SIGTERM to dockerd, a wait
# (at most 60 s) until it has exited and its socket no longer answers, then dockerd-start.sh. With the
# engine's default settings (no live-restore) the stop stops every container; those with a restart
# policy (kcluster-net's unless-stopped) come back with the engine, the others stay exited.
# Used by the engine-restart e2e test (test/e2e/docker-engine-restart.e2e.test.ts). Never run it
# against an engine other work depends on: every container on it stops.
set -euo pipefail
here=$(dirname "$0")
# An engine systemd runs is restarted by systemd: a dockerd started beside it would fight its unit.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet docker 2>/dev/null; then
  systemctl restart docker
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && { echo "docker: engine restarted (systemctl restart docker)"; exit 0; }
    sleep 0.5
  done
  echo "dockerd-restart: the engine does not answer 30 s after systemctl restart docker" >&2
  exit 1
fi
pid=$(cat /var/run/docker.pid 2>/dev/null || pidof dockerd || true)
if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
  echo "dockerd-restart: no running dockerd found (/var/run/docker.pid, pidof dockerd)" >&2
  exit 1
fi
kill -TERM "$pid"
# dockerd gives each container up to its stop timeout (10 s) before the SIGKILL, in parallel.
for _ in $(seq 1 120); do
  if ! kill -0 "$pid" 2>/dev/null && ! docker info >/dev/null 2>&1; then break; fi
  sleep 0.5
done
if kill -0 "$pid" 2>/dev/null; then
  echo "dockerd-restart: dockerd (pid $pid) still running 60 s after SIGTERM" >&2
  exit 1
fi
"$here/dockerd-start.sh"
echo "docker: engine restarted (was pid $pid, now pid $(cat /var/run/docker.pid))"
