# SMA — the two commands: `make run` (whole product on embedded defaults) and `make test`.
.PHONY: run test test-future bootstrap lint bench-engine messages

PY := .venv/bin/python

run:
	scripts/bootstrap.sh
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py seed_demo
	@echo "==> SMA on http://127.0.0.1:$${PORT:-8000}/  (web + worker + beat; Ctrl-C stops all)"
	PATH="$(CURDIR)/.venv/bin:$$PATH" .venv/bin/honcho start -f Procfile -p $${PORT:-8000}

test:
	scripts/bootstrap.sh --services --browser
	$(PY) -m pytest

# The suite again with the machine's clock moved 400 days ahead (Debian's faketime; PostgreSQL and
# Redis keep the real clock): proves no test depends on the day it runs. libfaketime 0.9.10 moves
# the monotonic clock too but not sem_clockwait's deadlines, so a timed wait that nothing ends would
# never return: conftest.py makes Condition.wait poll under faketime (contracts/tests/clock.py);
# the timeout turns any other hang into a failure.
FUTURE ?= +400d
test-future:
	@command -v faketime >/dev/null || { echo "!! faketime missing: apt-get install faketime (make test installs it)" >&2; exit 1; }
	timeout 1200 faketime -f '$(FUTURE)' $(PY) -m pytest -q

lint:
	.venv/bin/ruff check .
	.venv/bin/mypy

bench-engine:
	$(PY) scripts/bench_business_time.py

messages:
	$(PY) manage.py makemessages -l es --no-obsolete --no-location --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages -l es --ignore=.venv
