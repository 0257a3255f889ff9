"""The preview's HTTP server: the standard library's threading server on 127.0.0.1, a watcher thread
and server-sent events.

- Bound to the loopback address only; a request whose Host is not this server's loopback address
  and port is refused (a web page elsewhere cannot read the project through DNS rebinding).
- `/_kitgen/events` is an event stream: the current version at once, then each new version when the
  watched files change (`watching`), a comment every 15 s to keep the connection open. Open pages
  reload when the version differs from the one they were made from.
- GET and HEAD only; nothing is written anywhere. Ctrl-C (or `stop()`) ends the server, its
  connections and the watcher.
"""

from __future__ import annotations

import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from kitgen.commands import open_project
from kitgen.commands import watching
from kitgen.commands.preview.site import Site
from kitgen.i18n import tr

HOST = "127.0.0.1"
KEEPALIVE_SECONDS = 15.0


class Versions:
    """The project's current version, and a condition to wait on for the next one."""

    def __init__(self, root: Path | None):
        self.root = root
        self.condition = threading.Condition()
        self.stopped = threading.Event()
        self.state = self.look()
        self.current = watching.fingerprint(self.state)
        self.changes: list[list[str]] = []  # what changed, one list per new version

    def look(self) -> watching.Snapshot:
        return watching.look(self.root)

    def get(self) -> str:
        with self.condition:
            return self.current

    def watch(self, on_change=None) -> None:
        """The watcher thread's loop: a new version for each settled change."""
        while not self.stopped.is_set():
            new = watching.wait_for_change(self.look, self.state, self.stopped)
            if new is None:
                return
            changed = watching.changed(self.state, new)
            with self.condition:
                self.state = new
                self.current = watching.fingerprint(new)
                self.condition.notify_all()
            if on_change is not None:
                on_change(changed)

    def wait_newer(self, seen: str, timeout: float) -> str:
        with self.condition:
            self.condition.wait_for(lambda: self.current != seen or self.stopped.is_set(), timeout)
            return self.current

    def stop(self) -> None:
        self.stopped.set()
        with self.condition:
            self.condition.notify_all()


class Preview(ThreadingHTTPServer):
    daemon_threads = True  # an open event stream never keeps the process alive
    allow_reuse_address = True

    def __init__(self, root: Path | None, port: int, lang: str | None = None):
        self.versions = Versions(root)
        self.site = Site(root, self.versions.get, lang)
        super().__init__((HOST, port), Handler)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"

    def start_watching(self, on_change=None) -> threading.Thread:
        thread = threading.Thread(target=self.versions.watch, args=(on_change,), name="kitgen-watch", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self.versions.stop()
        self.server_close()


class Handler(BaseHTTPRequestHandler):
    server: Preview
    protocol_version = "HTTP/1.1"
    server_version = "kitgen-preview"

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        pass  # the terminal shows what changed, not every request

    def _allowed_host(self) -> bool:
        port = self.server.server_address[1]
        return self.headers.get("Host", "") in (f"{HOST}:{port}", f"localhost:{port}")

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's name
        self._answer(body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(body=True)

    def _answer(self, body: bool) -> None:
        if not self._allowed_host():
            self._send(HTTPStatus.MISDIRECTED_REQUEST, "text/plain; charset=utf-8", tr("wrong host").encode("utf-8"),
                       {}, body)
            return
        path = unquote(urlsplit(self.path).path)
        if path == "/_kitgen/events":
            self._events()
            return
        page = self.server.site.get(path)
        self._send(page.status, page.content_type, page.body, page.headers, body)

    def _send(self, status: int, content_type: str, data: bytes, headers: dict, body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in headers.items():
            self.send_header(name, value)
        if "Cache-Control" not in headers:
            self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _events(self) -> None:
        """An event stream of versions, until the page closes it or the server stops."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        versions = self.server.versions
        seen = versions.get()
        try:
            self.wfile.write(f"retry: 500\ndata: {seen}\n\n".encode())
            self.wfile.flush()
            while not versions.stopped.is_set():
                current = versions.wait_newer(seen, KEEPALIVE_SECONDS)
                message = f"data: {current}\n\n" if current != seen else ": still here\n\n"
                self.wfile.write(message.encode())
                self.wfile.flush()
                seen = current
        except (BrokenPipeError, ConnectionResetError, OSError):
            return  # the page went away


def serve(root: Path | None, port: int, open_browser: bool, echo) -> None:
    """Run the preview until Ctrl-C: prints its address, then one line per change seen."""
    import errno
    import time

    from kitgen.errors import UsageError

    project = open_project(root)  # a broken kitgen.toml is said now, as every command says it
    try:
        server = Preview(root, port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(tr("port %(port)s is already in use: choose another with --port N (0: any free port)",
                                port=port), param_hint="'--port'") from None
        raise
    label = project.label(project.root) or "."

    def changed(paths: list[str]) -> None:
        names = ", ".join(project.label(Path(path)) for path in paths[:3]) + (" ..." if len(paths) > 3 else "")
        echo(tr("%(time)s changed: %(files)s: open pages reload", time=time.strftime("%H:%M:%S"), files=names))

    server.start_watching(changed)
    echo(tr("Preview of %(project)s on %(url)s (Ctrl-C stops it)", project=label, url=server.url))
    if open_browser:
        import webbrowser

        threading.Thread(target=webbrowser.open, args=(server.url,), daemon=True).start()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    echo(tr("preview stopped"))
