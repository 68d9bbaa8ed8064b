#!/usr/bin/env bash
# Starts dockerd the one way kcluster's scripts do (docker-up.sh, dockerd-restart.sh) and waits, at most
# 30 s, until the engine answers. In its own session (setsid), so that the engine outlives whatever ran
# this script (a test process, a CI step); its output goes to /var/log/dockerd.log. Does nothing when an
# engine already answers.
set -euo pipefail
docker info >/dev/null 2>&1 && exit 0
mkdir -p /var/log
setsid nohup dockerd --host unix:///var/run/docker.sock >>/var/log/dockerd.log 2>&1 </dev/null &
for _ in $(seq 1 60); do
  docker info >/dev/null 2>&1 && exit 0
  sleep 0.5
done
echo "docker: engine did not start; last lines of /var/log/dockerd.log:" >&2
tail -20 /var/log/dockerd.log >&2 || true
exit 1
