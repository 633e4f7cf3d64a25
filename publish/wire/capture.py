"""Records what a generated client puts on the wire for list_dialogs and delete_dialogs (publish/check.sh).

usage: capture.py OUT

Listens on 127.0.0.1 on a port the system picks, prints `listening on http://127.0.0.1:PORT` and serves until it
is ended. For each request it writes one line to OUT: the method and the request-target exactly as they arrived
(nothing decoded, so `%5B` stays `%5B` and `[` stays `[`), then ` body=` and the body as a JSON string when there
is one. The line is written and flushed before the answer goes out, so that a client that has its answer has
its line in OUT. It answers `GET /chat/Dialog.json` with an empty page of dialogs and
`DELETE /chat/Dialog/{ids}.json` with every id of the path under `SuccessfullyDeleted`, so that each client can
read the answers into its generated types; anything else gets a 404 in the message-list error shape.
"""

from __future__ import annotations

import json
import re
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import unquote

LIST_PATH = "/chat/Dialog.json"
DELETE_PATH = re.compile(r"^/chat/Dialog/([^/?]+)\.json$")
EMPTY_PAGE = {"total_entries": 0, "skip": 0, "limit": 100, "items": []}


class Capture(BaseHTTPRequestHandler):
    """Writes each request's line to `out`, then answers it."""

    out = None  # the open OUT file, set by main

    def handle_any(self) -> None:
        # The request line's own words: self.path may differ from what arrived (http.server folds a leading `//`).
        method, target = self.requestline.split(" ")[:2]
        length = int(self.headers.get("Content-Length", "0") or "0")
        body = self.rfile.read(length) if length else b""
        line = f"{method} {target}"
        if body:
            line += " body=" + json.dumps(body.decode("utf-8", errors="backslashreplace"))
        self.out.write(line + "\n")
        self.out.flush()

        path = target.split("?", 1)[0]
        deleted = DELETE_PATH.match(path)
        if method == "GET" and path == LIST_PATH:
            self.answer(200, EMPTY_PAGE)
        elif method == "DELETE" and deleted:
            # The ids as a server reads them: the path segment decoded, then split at its commas.
            ids = unquote(deleted.group(1)).split(",")
            self.answer(200, {"SuccessfullyDeleted": {"ids": ids}})
        else:
            self.answer(404, {"errors": [f"capture.py answers only GET {LIST_PATH} and DELETE /chat/Dialog/{{ids}}.json"]})

    do_GET = do_DELETE = do_POST = do_PUT = do_PATCH = handle_any  # noqa: N815 (the names are http.server's)

    def answer(self, status: int, value: object) -> None:
        payload = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the name is http.server's)
        pass


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: capture.py OUT", file=sys.stderr)
        return 2
    out_path = Path(sys.argv[1])
    try:
        Capture.out = out_path.open("w", encoding="utf-8")
    except OSError as e:
        print(f"error: capture.py: cannot write {out_path}: {e.strerror}", file=sys.stderr)
        return 1
    # One request at a time: the lines come in the order the client sent them.
    server = HTTPServer(("127.0.0.1", 0), Capture)
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        Capture.out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
