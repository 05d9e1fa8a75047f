"""Size and load time of the HTML help page (``samplegen docs --format html``) for GitHub's
definition (1,223 operations, every language), in Debian's headless chromium.

    python benchmarks/bench_docs_html.py [--runs 5]

The definition comes from ``@octokit/openapi`` (fetched with ``npm pack`` as
``bench_peers.py`` does). Prints the page's size (and gzip size), the time to write it, and
medians of ``--runs`` loads from ``file://``: DOMContentLoaded, load, the first operation
shown, switching to another operation, and filtering the list.
"""
from __future__ import annotations

import argparse
import gzip
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_peers import CASES, package_dir  # noqa: E402

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    pkg, rel = CASES["github"]
    definition = package_dir(pkg) / rel
    out = Path(tempfile.mkdtemp(prefix="samplegen-docs-html-"))
    t0 = time.monotonic()
    subprocess.run([sys.executable, "-m", "generator.cli", "docs", str(definition), "-o", str(out), "-f", "html",
                    "-q"], check=True, cwd=HERE.parent)
    written = time.monotonic() - t0
    page = out / "index.html"
    data = page.read_bytes()
    print(f"index.html: {len(data) / 1e6:.1f} MB ({len(gzip.compress(data)) / 1e6:.1f} MB gzipped), "
          f"written in {written:.1f} s (samplegen docs, whole run)")

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="samplegen-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in FLAGS + (f"--user-data-dir={profile}", "--window-size=1280,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"),
                              options=options)
    rows: dict[str, list[float]] = {"DOMContentLoaded": [], "load": [], "switch operation": [], "filter": []}
    try:
        for _ in range(args.runs):
            driver.get("about:blank")
            driver.get(page.as_uri())
            dcl, load = driver.execute_script(
                "var n = performance.getEntriesByType('navigation')[0]; return [n.domContentLoadedEventEnd, n.loadEventEnd];")
            rows["DOMContentLoaded"].append(dcl)
            rows["load"].append(load)
            rows["switch operation"].append(driver.execute_script("""
                var links = document.querySelectorAll('nav li a'); var t = performance.now();
                location.hash = links[links.length - 1].getAttribute('href');
                window.dispatchEvent(new HashChangeEvent('hashchange'));
                document.body.offsetHeight; return performance.now() - t;"""))
            rows["filter"].append(driver.execute_script("""
                var box = document.getElementById('filter'); var t = performance.now();
                box.value = 'repos issues'; box.dispatchEvent(new Event('input'));
                document.body.offsetHeight; return performance.now() - t;"""))
        listed = driver.execute_script("return document.querySelectorAll('nav li').length")
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
    print(f"operations listed: {listed}; medians of {args.runs} loads from file://:")
    for name, values in rows.items():
        print(f"  {name}: {statistics.median(values):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
