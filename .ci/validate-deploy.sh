#!/usr/bin/env bash
# Validates docker-compose.yml without a Docker engine (STACK.md, "Docker without an engine"):
# Compose v1's `config` checks the file against its schema and interpolates it. Exits non-zero on
# any problem. The Dockerfile and compose file are also checked against the code by tests/deploy.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v docker-compose >/dev/null 2>&1; then
  echo 'validate-deploy: installing docker-compose (Compose v1) from apt'
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
fi

# The app's `env_file: .env` must exist for `config`: use an empty one if there is none.
created_env=''
if [ ! -e .env ]; then
  : >.env
  created_env=1
  trap 'rm -f .env' EXIT
fi

POSTGRES_PASSWORD=validate-deploy-dummy docker-compose -f docker-compose.yml config -q
echo "validate-deploy: docker-compose.yml is valid ($(docker-compose version --short))"

# The password has no default: Compose must refuse to start without it.
if [ -n "$created_env" ]; then
  if env -u POSTGRES_PASSWORD docker-compose -f docker-compose.yml config -q 2>/dev/null; then
    echo 'validate-deploy: docker-compose.yml accepts a missing POSTGRES_PASSWORD' >&2
    exit 1
  fi
  echo 'validate-deploy: a missing POSTGRES_PASSWORD is refused'
fi
