"""Load benchmark for the portal: `make bench` (see bench/README.md)."""
