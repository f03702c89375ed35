"""Benchmark: serving a ~20 KB Markdown article through resolve + render, cold versus warm.

Everything is real: moto's S3 server over HTTP, the embedded document store in a temporary folder,
Python-Markdown and nh3.

- cold: a fresh Renderer each time, so every request reads the document, GETs the object and renders it.
- warm: one Renderer. The document carries `sha256` (as activity outputs do), so resolve finds the
  rendering already cached under (key, sha256) and makes no S3 request. Every request still reads the
  document, as a page must to check the tenant, so the warm path is the honest cost of a cache hit.
- warm, no sha256 (shown, not gated): a document without `sha256` needs the object's ETag, so each request
  still GETs the object and only the rendering is saved.

Exits non-zero unless warm is at least 10x faster than cold (medians).
Run: .venv/bin/python bench/content_render.py [--iterations N]
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

import boto3
from moto.server import ThreadedMotoServer

from portal.stores import Stores
from portal.stores.blobs import S3BlobStore
from portal.stores.documents import ACTIVITY_OUTPUTS, EmbeddedDatabase, open_embedded
from portal.stores.markdown import Renderer
from portal.stores.refs import resolve

TENANT = "01JBENCHTENANT0000000000AA"
BUCKET = "portal-bench"
REQUIRED_SPEEDUP = 10.0


def article() -> str:
    """A realistic ~20 KB marketing article: headings, lists, tables, code, links and images."""
    sections = []
    for number in range(1, 17):
        sections.append(
            f"## {number}. Growing organic traffic, part {number}\n\n"
            f"Search demand for **managed bookkeeping** rose {number * 7}% this quarter. Our plan pairs "
            f"[keyword clusters](https://example.com/clusters/{number}) with *weekly* posts and a "
            f'[content brief](https://example.com/briefs/{number} "Brief {number}") for each.\n\n'
            "### What we will publish\n\n"
            "- Two long-form guides answering high-intent questions\n"
            "- One comparison page against the top three competitors\n"
            "- Social posts that reuse each guide's key findings\n"
            "    - LinkedIn carousel\n"
            "    - X thread\n\n"
            "1. Research the cluster\n2. Draft and review\n3. Publish and promote\n\n"
            "| Keyword | Volume | Difficulty | Intent |\n|:--|--:|--:|:--|\n"
            + "".join(
                f"| bookkeeping for {kind} | {1200 + 37 * row} | {20 + row} | commercial |\n"
                for row, kind in enumerate(["startups", "agencies", "clinics", "cafés", "landlords"])
            )
            + "\n> Clients who approved briefs within two days saw results three weeks sooner.\n\n"
            "```python\n"
            f"def forecast(clicks: int, growth: float = 0.{number}) -> int:\n"
            '    """Projected monthly clicks after one quarter."""\n'
            "    return round(clicks * (1 + growth) ** 3)\n"
            "```\n\n"
            f'![Traffic chart {number}](https://cdn.example.com/charts/{number}.png "Chart {number}")\n\n'
            "Key terms: *click-through rate*, *impressions*, `utm_campaign`, and ~~vanity metrics~~.\n\n"
        )
    return (
        "# Six-month content strategy\n\n[TOC]\n\n"
        + "".join(sections)
        + "---\n\nQuestions? Write to [us](mailto:team@example.com).\n"
    )


def timed(
    serve: Callable[[], None], iterations: int, before: Callable[[], None] | None = None
) -> list[float]:
    """Milliseconds taken by each of `iterations` calls of `serve` (`before` runs untimed first)."""
    samples = []
    for _ in range(iterations):
        if before is not None:
            before()
        started = time.perf_counter()
        serve()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def summary(label: str, samples: list[float]) -> str:
    """One line: median and 95th percentile."""
    p95 = statistics.quantiles(samples, n=20)[18]
    return f"{label:<36} median {statistics.median(samples):8.3f} ms   p95 {p95:8.3f} ms"


def measure(documents: EmbeddedDatabase, blobs: S3BlobStore, iterations: int) -> int:
    """Store the article, time the three paths, print them; 0 when warm is fast enough."""
    text = article()
    data = text.encode()
    key = f"{TENANT}/activity-outputs/01JBENCHACTIVITY000000000A/01JBENCHOUTPUT00000000000A.md"
    blobs.put(key, data, "text/markdown; charset=utf-8")
    document = {"tenantId": TENANT, "s3Key": key, "format": "markdown", "bytes": len(data)}
    with_sha = documents[ACTIVITY_OUTPUTS].insert_one(
        {**document, "sha256": hashlib.sha256(data).hexdigest()}
    )
    without_sha = documents[ACTIVITY_OUTPUTS].insert_one(dict(document))

    stores = Stores(documents=documents, blobs=blobs, renderer=Renderer())

    def serve(object_id: object) -> None:
        """One request: resolve the document's content and render it."""
        resolution = resolve(stores, ACTIVITY_OUTPUTS, str(object_id), TENANT)
        assert resolution.state == "found", resolution.reason
        stores.renderer.render(resolution)

    def fresh_renderer() -> None:
        """Start over with an empty cache."""
        nonlocal stores
        stores = Stores(documents=documents, blobs=blobs, renderer=Renderer())

    cold = timed(lambda: serve(with_sha.inserted_id), iterations, before=fresh_renderer)
    fresh_renderer()
    serve(with_sha.inserted_id)
    serve(without_sha.inserted_id)
    warm = timed(lambda: serve(with_sha.inserted_id), iterations)
    warm_get = timed(lambda: serve(without_sha.inserted_id), iterations)
    assert stores.renderer.renders == 2, "warm requests must not render"

    speedup = statistics.median(cold) / statistics.median(warm)
    print(f"article: {len(data) / 1024:.1f} KB of Markdown, {iterations} iterations per path")
    print(summary("cold (document + GET + render)", cold))
    print(summary("warm (document + cache by sha256)", warm))
    print(summary("warm, no sha256 (document + GET)", warm_get))
    print(f"speed-up, median cold / median warm: {speedup:.1f}x (required: {REQUIRED_SPEEDUP:.0f}x)")
    return 0 if speedup >= REQUIRED_SPEEDUP else 1


def main() -> int:
    """Start moto and the embedded store, run the benchmark, clean up."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=100)
    iterations = parser.parse_args().iterations
    # moto accepts any credentials; these keep boto3 from looking for real ones.
    for name, value in {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"}.items():
        os.environ.setdefault(name, value)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket=BUCKET)
        with tempfile.TemporaryDirectory(prefix="bench-content-") as folder:
            documents = open_embedded(os.path.join(folder, "documents"), "portal")
            return measure(documents, S3BlobStore(BUCKET, endpoint_url=endpoint), iterations)
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
