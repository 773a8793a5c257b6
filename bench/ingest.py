"""Ingest: the full submission path on PostgreSQL against a bare Flask endpoint, same gunicorn config, same run.

Variants (each a real gunicorn + PostgreSQL + Redis deployment, measured with wrk, interleaved):
  bare          bare Flask: parse the JSON body, answer 202
  full          the real path: auth, rate limits (Redis), validation, INSERT + commit, Celery publish, metrics
  no_limits     the same without the rate limiter (what the two Redis round trips of limiting cost)
  no_broker     broker port closed: the INSERT commits, the intake push is refused and logged per request
                (what a Redis outage costs the web tier; the outbox relay enqueues later)
Then the curve: achieved req/s and p99 against offered load for the full path (paced open loop).
"""

from __future__ import annotations

import sys

from bench._support import OUT, Stack, figure, free_port, paced_load, pg_database, private_redis, save_json, wrk

ROUNDS = 3
SECONDS = 6
CURVE_RATES = (100, 200, 400, 800, 1200)
CURVE_SECONDS = 4


def measure(stack: Stack, key: str | None, target: str | None = None) -> dict:
    port = stack.gunicorn(target) if target else stack.gunicorn()
    try:
        wrk(port, key, seconds=2)  # warm up: imports, connection pools, model not needed on the web side
        return wrk(port, key, seconds=SECONDS)
    finally:
        stack.stop()


def main() -> int:
    results: dict[str, list[dict]] = {"bare": [], "full": [], "no_limits": [], "no_broker": []}
    curve: list[dict] = []
    with pg_database() as database_url, private_redis() as redis_url:
        key = Stack(database_url, redis_url).prepare()
        dead_broker = f"redis://127.0.0.1:{free_port()}/0"
        for _ in range(ROUNDS):
            results["bare"].append(measure(Stack(database_url, redis_url), None, "bench._bare_app:create_app()"))
            results["full"].append(measure(Stack(database_url, redis_url), key))
            results["no_limits"].append(measure(Stack(database_url, redis_url, MODERATO_RATELIMIT_ENABLED="false"),
                                                key))
            results["no_broker"].append(measure(Stack(database_url, redis_url, BROKER_URL=dead_broker,
                                                      MODERATO_BROKER_URL=dead_broker), key))
        stack = Stack(database_url, redis_url)
        port = stack.gunicorn()
        try:
            for n, rate in enumerate(CURVE_RATES):
                run = paced_load(port, key, rate, CURVE_SECONDS, start_n=n * 100_000)
                curve.append({"offered": rate, "achieved": round(run["achieved"], 1),
                              "p99_ms": round(run["p99_ms"], 1), "errors": run["errors"]})
                print(f"bench: ingest offered={rate}/s achieved={run['achieved']:.0f}/s "
                      f"p99={run['p99_ms']:.1f}ms errors={run['errors']}", file=sys.stderr, flush=True)
        finally:
            stack.stop()
    best = {name: max(r["rps"] for r in runs) for name, runs in results.items()}
    for name, runs in results.items():
        print(f"bench: ingest {name}: " + ", ".join(f"{r['rps']:.0f} req/s p99 {r['p99_ms']:.1f} ms"
                                                     f" non2xx {r['non_2xx']}" for r in runs),
              file=sys.stderr, flush=True)
    save_json("ingest", {"runs": results, "best": best, "curve": curve})
    plot(curve)
    figure("bare_flask_req_per_s", round(best["bare"]))
    figure("ingest_full_req_per_s", round(best["full"]))
    figure("ingest_no_limits_vs_bare_flask", round(best["no_limits"] / best["bare"], 3))
    figure("ingest_broker_down_vs_bare_flask", round(best["no_broker"] / best["bare"], 3))
    figure("ingest_vs_bare_flask", round(best["full"] / best["bare"], 3), target=0.25)
    return 0


def plot(curve: list[dict]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, left = plt.subplots(figsize=(7, 4))
    offered = [c["offered"] for c in curve]
    left.plot(offered, [c["achieved"] for c in curve], "o-", label="achieved req/s")
    left.plot(offered, offered, ":", color="grey", label="offered")
    left.set_xlabel("offered submissions/s")
    left.set_ylabel("req/s")
    right = left.twinx()
    right.plot(offered, [c["p99_ms"] for c in curve], "s--", color="tab:red", label="p99 ms")
    right.set_ylabel("p99 latency (ms)")
    fig.legend(loc="upper left")
    fig.suptitle("Ingest (full path, PostgreSQL): throughput and p99 against offered load")
    fig.tight_layout()
    fig.savefig(OUT / "ingest_curve.png", dpi=100)
    plt.close(fig)


if __name__ == "__main__":
    sys.exit(main())
