# SMA — the two commands: `make run` (whole product on embedded defaults) and `make test`.
.PHONY: run test bootstrap lint bench-engine messages

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

lint:
	.venv/bin/ruff check .

bench-engine:
	$(PY) scripts/bench_business_time.py

messages:
	$(PY) manage.py makemessages -l es --no-obsolete --no-location --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages -l es --ignore=.venv
