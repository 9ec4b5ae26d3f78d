#!/usr/bin/env bash
# Docker healthcheck for APM Server. Its image ships bash but not curl, so this speaks HTTP over
# bash's /dev/tcp: healthy when GET / (authenticated with the secret token) answers 200.
set -euo pipefail
exec 3<>/dev/tcp/127.0.0.1/8200
printf 'GET / HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer %s\r\nConnection: close\r\n\r\n' \
  "${APM_SECRET_TOKEN:-}" >&3
IFS= read -r -t 5 status <&3 || { echo "apm-server: no answer on 8200" >&2; exit 1; }
case "$status" in
  *" 200 "*) exit 0 ;;
  *) echo "apm-server: ${status%$'\r'}" >&2; exit 1 ;;
esac
