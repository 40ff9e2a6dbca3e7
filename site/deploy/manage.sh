#!/bin/sh
# manage.py with the production environment, as the paddock user:
#   sudo -u paddock /srv/paddock/app/site/deploy/manage.sh migrate --no-input
set -eu
ENV_FILE="${PADDOCK_ENV_FILE:-/etc/paddock/paddock.env}"
APP_DIR="$(cd "$(dirname "$0")/../.." && pwd)"
set -a
. "$ENV_FILE"
set +a
exec "$APP_DIR/.venv/bin/python" "$APP_DIR/manage.py" "$@"
