#!/usr/bin/env bash
# Prepare this machine for SMA from nothing: Debian packages (when root), the virtualenv with the
# pinned requirements, and — with --services — PostgreSQL and Redis started if they are down.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
want_services=0
want_browser=0
for arg in "$@"; do
  case "$arg" in
    --services) want_services=1 ;;
    --browser) want_browser=1 ;;
  esac
done

# Another apt or dpkg run (unattended upgrades, a second installation) may hold the package locks:
# wait for them, up to APT_LOCK_WAIT seconds (default 600), instead of failing at once.
APT_LOCK_WAIT=${APT_LOCK_WAIT:-600}
APT_LOCKS=${APT_LOCKS:-/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock}

apt_locks_busy() {
  # apt and dpkg hold fcntl locks; try each without waiting (fuser is not on every bare machine).
  # shellcheck disable=SC2086
  "$PYTHON" - $APT_LOCKS <<'PY'
import fcntl, os, sys
for path in sys.argv[1:]:
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        continue  # no such lock file: nobody holds it
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        sys.exit(0)  # busy
    finally:
        os.close(fd)
sys.exit(1)
PY
}

apt_get() {
  local waited=0
  while apt_locks_busy; do
    if [ "$waited" -ge "$APT_LOCK_WAIT" ]; then
      echo "!! apt/dpkg still busy after ${APT_LOCK_WAIT}s (another installation running?)" >&2
      return 1
    fi
    [ "$waited" = 0 ] && echo "==> another apt/dpkg run holds the package lock; waiting (up to ${APT_LOCK_WAIT}s)" >&2
    sleep 5
    waited=$((waited + 5))
  done
  # the lock may be taken again between the check and apt-get: apt then waits too
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="$APT_LOCK_WAIT" "$@"
}

apt_packages=(gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils faketime)
[ "$want_browser" = 1 ] && apt_packages+=(chromium dovecot-imapd)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "==> apt-get install ${missing[*]}"
    apt_get update -qq
    apt_get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "!! missing Debian packages (install them as root): ${missing[*]}" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.requirements.sha
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "==> pip install -r requirements.txt"
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -r requirements.txt
  echo "$want" > "$stamp"
fi

if [ "$want_services" = 1 ]; then
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    echo "==> starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    echo "==> starting Redis"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log
    for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
  fi
fi
