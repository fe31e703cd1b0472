"""Serve a built site on 127.0.0.1 (any free port) from a background thread."""

from __future__ import annotations

import functools
import http.server
import threading
import time
from pathlib import Path

EXTRA_TYPES = {".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
               ".json": "application/json", ".zip": "application/zip", ".whl": "application/zip"}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **EXTRA_TYPES}

    def log_message(self, *args) -> None:  # keep test output readable
        pass


class Link:
    """A network link shared by every connection: ``mbit_s`` of bandwidth in all and
    ``rtt_ms`` of round trip added to each response (benchmarks; tests use no link)."""

    def __init__(self, mbit_s: float, rtt_ms: float):
        self.bytes_per_s, self.rtt = mbit_s * 125_000, rtt_ms / 1000
        self.lock, self.free_at = threading.Lock(), 0.0

    def send(self, write, data: bytes) -> None:
        """Write ``data`` no faster than the link allows, taking turns with other connections."""
        for at in range(0, len(data), 16384):
            chunk = data[at:at + 16384]
            with self.lock:
                start = max(time.monotonic(), self.free_at)
                self.free_at = start + len(chunk) / self.bytes_per_s
            time.sleep(max(0.0, start - time.monotonic()))
            write(chunk)


class ThrottledHandler(QuietHandler):
    link: Link  # set per server

    def send_head(self):
        time.sleep(self.link.rtt)
        return super().send_head()

    def copyfile(self, source, outputfile) -> None:
        self.link.send(outputfile.write, source.read())


class SiteServer:
    """``with SiteServer(folder) as url:`` serves ``folder`` at ``url`` until the block ends;
    with ``link`` (a :class:`Link`) as if over that network."""

    def __init__(self, root: Path, link: Link | None = None):
        cls = QuietHandler if link is None else type("LinkHandler", (ThrottledHandler,), {"link": link})
        handler = functools.partial(cls, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        return self.url

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
