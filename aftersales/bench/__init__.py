"""Benchmarks (`make bench`, never part of `make test`): the data they need (`data.py`, through
`manage.py bench_data`), the HTTP scenarios (`scenarios.py`) and the runner (`run.py`) that sets
up its own PostgreSQL database, serves the app with gunicorn, drives it with wrk and prints the
figures with the targets of the issues."""
