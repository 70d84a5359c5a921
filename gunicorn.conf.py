"""gunicorn's settings, written once: `make serve` runs with them, and `make bench` serves both the portal and its
ceiling with them, so that the benchmark measures the server that is deployed. Options given on the command line
win over these (`make bench` takes BENCH_GUNICORN, e.g. "--threads 1", to measure a change before making it)."""

# Two processes for a two-CPU machine, four threads each; bench/README.md has what the threads cost and bring.
workers = 2
threads = 4
# The access log on standard output, where the service manager collects it.
accesslog = "-"
