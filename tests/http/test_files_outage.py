"""Files when the object store goes away: 503 for what needs it, the index unchanged, and
everything back once the store returns. The store is the real S3 server behind a TCP relay that
the test cuts (fault injection at the network, the only way to make a real server unreachable
on demand). Collected only when the suite runs on postgres-s3 (see conftest.py)."""

from __future__ import annotations

import os
import socket
import threading
import urllib.parse

from httpsupport import assert_problem, backend_settings, expect_status, free_port, unique_name


class Relay:
    """Forwards TCP connections from 127.0.0.1:port to `target`; cut() refuses and drops them."""

    def __init__(self, target: str):
        parsed = urllib.parse.urlsplit(target)
        self.target = (parsed.hostname, parsed.port)
        self.port = free_port()
        self.connections: list[socket.socket] = []
        self.lock = threading.Lock()
        self.listener = None

    def open(self):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(64)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def cut(self):
        # shutdown() stops the listening socket at once; close() alone would wait for accept().
        self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        with self.lock:
            for connection in self.connections:
                try:
                    connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                connection.close()
            self.connections.clear()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.connections += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def test_an_unreachable_store_answers_503_and_leaves_the_index_alone(start_server):
    relay = Relay(os.environ["DUCKLAKE_TEST_S3_ENDPOINT"])
    relay.open()
    flags, env, _ = backend_settings("postgres-s3")
    env = {**env, "DUCKLAKE_S3_ENDPOINT": f"http://127.0.0.1:{relay.port}"}
    server = start_server(*flags, env=env, backend="embedded")
    api = server.api
    vol = unique_name("v").replace("_", "-")
    expect_status(api.post("/api/v1/volumes", json={"name": vol}), 201)
    base = f"/api/v1/volumes/{vol}/objects"
    etag = expect_status(api.request("PUT", f"{base}/kept.txt", data=b"kept"), 201).headers["ETag"]

    relay.cut()
    assert_problem(api.request("PUT", f"{base}/new.txt", data=b"new"), 503)
    assert_problem(api.request("PUT", f"{base}/kept.txt", data=b"replaced"), 503)
    assert_problem(api.get(f"{base}/kept.txt"), 503)
    assert_problem(api.delete(f"{base}/kept.txt"), 503)
    assert_problem(api.post(f"/api/v1/volumes/{vol}/uploads", json={"key": "big.bin"}), 503)
    assert_problem(api.post(f"/api/v1/volumes/{vol}/reconcile"), 503)
    assert expect_status(api.get("/readyz"), 503).json()["checks"]["metadata"] == "ok"
    # The index still answers, and still says what the store holds.
    listing = expect_status(api.get(base), 200).json()
    assert [(o["key"], o["etag"]) for o in listing["objects"]] == [("kept.txt", etag.strip('"'))]
    assert expect_status(api.request("HEAD", f"{base}/kept.txt"), 200).headers["ETag"] == etag

    relay.open()
    assert expect_status(api.get(f"{base}/kept.txt"), 200).content == b"kept"
    assert_problem(api.get(f"{base}/new.txt"), 404)
    report = expect_status(api.post(f"/api/v1/volumes/{vol}/reconcile"), 200).json()
    assert (report["added"], report["updated"], report["removed"], report["unchanged"]) == (0, 0, 0, 1)
    expect_status(api.request("PUT", f"{base}/new.txt", data=b"new"), 201)
    relay.cut()
