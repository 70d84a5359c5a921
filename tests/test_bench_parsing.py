"""The load benchmark's own logic (not a timing): reading wrk's output and /proc, the ceiling ratio and the medians
over rounds, the queries of the uncached search. The benchmark itself runs with `make bench`."""

from urllib.parse import unquote_plus

import pytest

from bench import cpu, stats, wrk
from bench.learner import query_pool
from bench.pages import Page, select
from bench.report import PageRound, Sample, summarise_page

WRK_OUTPUT = """Running 3s test @ http://127.0.0.1:40123/compte/parametres/premium
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    29.61ms   17.02ms 118.10ms   68.32%
    Req/Sec   137.52     21.40   190.00     70.00%
  825 requests in 3.00s, 3.21MB read
  Non-2xx or 3xx responses: 25
Requests/sec:    274.70
Transfer/sec:      1.07MB
BENCH-RESULT {"requests":825,"duration_us":3003000,"bytes":3365000,"connect_errors":0,"read_errors":2,\
"write_errors":0,"status_errors":25,"timeouts":1,"p50_us":29612,"p90_us":52000,"p99_us":118100,"max_us":120000,\
"mean_us":29610.5,"max_per_thread":0}
"""


def test_wrk_report_line_is_read_and_errors_are_not_throughput():
    measurement = wrk.parse(WRK_OUTPUT)
    assert measurement.requests == 825
    assert measurement.seconds == pytest.approx(3.003)
    assert measurement.status_errors == 25
    assert measurement.socket_errors == 3  # read errors and timeouts
    assert measurement.errors == 28
    assert measurement.p50_ms == pytest.approx(29.612)
    assert measurement.p99_ms == pytest.approx(118.1)
    # Only the 800 answers below 400 count: a fast error page must not pass for a fast page.
    assert measurement.requests_per_second == pytest.approx(800 / 3.003)


def test_wrk_output_without_the_report_line_is_an_error_with_the_output():
    summary_only = WRK_OUTPUT.split("BENCH-RESULT")[0]
    with pytest.raises(wrk.WrkFailed) as failure:
        wrk.parse(summary_only)
    assert "Requests/sec" in failure.value.output


def test_only_the_varying_pages_get_a_request_function():
    assert "function request" not in wrk.script(None)
    assert "utm" not in wrk.script("tracking") and "prefix .. index" in wrk.script("tracking")
    assert "io.lines(args[4])" in wrk.script("new-query")
    assert all("function done" in wrk.script(variant) for variant in wrk.VARIANTS)
    command = wrk.command("http://127.0.0.1:1/x", wrk.Load(2, 8, 3), "s.lua", {"Cookie": "session=abc"}, ["a"])
    assert command[command.index("--header") + 1] == "Cookie: session=abc"
    assert command[-2:] == ["--", "a"] and "3s" in command


def test_ratio_is_against_the_mean_of_the_ceilings_around_the_page():
    assert stats.ratio(300, 6000, 4000) == pytest.approx(0.06)
    assert stats.ratio(300, 0, 0) is None
    assert stats.cpu_ratio(6.0, 0.25, 0.35) == pytest.approx(0.05)
    assert stats.cpu_ratio(None, 0.25, 0.35) is None


def test_median_ignores_missing_values_and_verdict_compares_with_the_target():
    assert stats.median([0.3, None, 0.1, 0.2]) == pytest.approx(0.2)
    assert stats.median([0.3, 0.1, 0.2, 0.4]) == pytest.approx(0.25)
    assert stats.median([None]) is None
    assert stats.verdict(0.2, 0.2) == "ok"
    assert stats.verdict(0.199, 0.2) == "below"
    assert stats.verdict(None, 0.2) == "n/a"
    assert stats.delta(0.25, 0.2) == pytest.approx(0.05)
    assert stats.delta(0.25, None) is None


def test_a_measurement_served_by_one_worker_is_not_balanced():
    assert stats.balanced([0.55, 0.45])
    assert stats.balanced([0.8, 0.2])
    assert stats.balanced([0.83, 0.17])  # requests queued on a database lock, every worker connected
    assert not stats.balanced([1.0, 0.0])
    assert not stats.balanced([0.95, 0.05])
    assert stats.balanced([1.0])  # a single worker cannot be unbalanced


def _measurement(rate: float, p50: float = 10.0, status_errors: int = 0) -> wrk.Measurement:
    requests = int(rate * 3)
    return wrk.Measurement(requests=requests + status_errors, seconds=3.0, bytes=1000 * requests,
                           status_errors=status_errors, socket_errors=0, p50_ms=p50, p90_ms=p50 * 2,
                           p99_ms=p50 * 4, max_ms=p50 * 5, sent_per_thread=0)


def test_a_page_is_summarised_by_the_median_of_its_rounds():
    page = Page("premium", "signed in: Premium", "/compte/parametres/premium", True, 0.2, ())

    def ceiling(rate: float) -> Sample:
        return Sample(_measurement(rate), cpu_seconds=rate * 3 * 0.0003)

    rounds = [
        PageRound(Sample(_measurement(1000, p50=30), cpu_seconds=1000 * 3 * 0.002), ceiling(6000), ceiling(4000)),
        PageRound(Sample(_measurement(700, p50=40, status_errors=6), cpu_seconds=700 * 3 * 0.0025), ceiling(4000),
                  ceiling(3000)),
        PageRound(Sample(_measurement(1500, p50=20), cpu_seconds=1500 * 3 * 0.002), ceiling(3000), ceiling(6000)),
    ]
    summary = summarise_page(page, rounds)
    # Ratios 1000/5000 = 0.2, 700/3500 = 0.2, 1500/4500 = 0.333: the median is 0.2, on target.
    assert summary["ratio"] == pytest.approx(0.2)
    assert summary["verdict"] == "ok"
    assert summary["requests_per_second"] == pytest.approx(1000)
    assert summary["p50_ms"] == pytest.approx(30)
    assert summary["errors"] == 6
    assert [r["ceiling_before"] for r in summary["rounds"]] == [6000, 4000, 3000]
    assert summary["cpu_ms"] == pytest.approx(2.0, abs=0.01)
    assert summary["cpu_ratio"] == pytest.approx(0.15, abs=0.001)


def test_proc_stat_lines_are_read_whatever_the_command_name():
    line = "4242 (gunicorn: worker (x) [wsgi:app]) S 4200 4200 4200 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 5 0"
    assert cpu.parse_stat(line) == (4200, 1234, 567)
    assert cpu.parse_machine_stat("cpu  100 5 50 9000 7 1 2 3 0 0") == 100 + 5 + 50 + 1 + 2 + 3


def test_cpu_of_a_server_is_its_master_and_descendants_only():
    stats_by_pid = {10: (1, 5, 5), 11: (10, 100, 20), 12: (10, 80, 10), 13: (12, 1, 1), 20: (1, 999, 999)}
    assert cpu.tree_ticks(10, stats_by_pid) == {10: 10, 11: 120, 12: 90, 13: 2}
    used = cpu.used_between({10: 1.0, 11: 2.0, 12: 2.0}, {10: 1.5, 11: 5.0, 12: 3.0})
    assert used == {10: 0.5, 11: 3.0, 12: 1.0}
    assert cpu.shares(used, master_pid=10) == [0.75, 0.25]
    assert cpu.shares({10: 0.0}, master_pid=10) == []


def test_every_query_of_the_uncached_search_is_new_and_finds_a_course():
    texts = ["developpement web avec flask", "bases de donnees sql"]
    pool = query_pool(texts, size=500)
    assert len(pool) == len(set(pool)) == 500
    assert pool == query_pool(texts, size=500)  # the same set-up gives the same queries
    for query in pool:
        words = unquote_plus(query).split()
        assert any(all(word in text for word in words) for text in texts), query
    assert any(" " in query for query in pool)  # past the single words, pairs from one course


def test_unknown_page_names_are_refused():
    pages = [Page("home", "home", "/", False, 0.5, ()), Page("premium", "premium", "/p", True, 0.2, ())]
    assert [page.name for page in select(pages, "premium")] == ["premium"]
    assert select(pages, "") == pages
    with pytest.raises(ValueError, match="nope"):
        select(pages, "home,nope")
