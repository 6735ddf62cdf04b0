#!/usr/bin/env python3
"""A proxy between our S3 client and a real S3 server that injects faults.

Usage: fault-proxy.py PORTFILE UPSTREAM_PORT CONTROLFILE
Each request consumes the first line of CONTROLFILE (none left: pass it through):
  pass         forward it
  500 / 503    answer that status without forwarding
  drop         forward it, then close the connection without answering (the store did it; we never heard)
  drop-before  close the connection without forwarding
  truncate     forward it and send only half of the answer's body (with the full Content-Length)
  delay MS     wait MS milliseconds, then forward it
Every request is logged to CONTROLFILE.log as "METHOD TARGET -> WHAT"."""
import http.client
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
UPSTREAM = int(sys.argv[2])
CONTROL = sys.argv[3]


def next_action():
    with LOCK:
        try:
            with open(CONTROL) as f:
                lines = f.read().splitlines()
        except FileNotFoundError:
            lines = []
        action = lines[0].strip() if lines else "pass"
        with open(CONTROL + ".tmp", "w") as f:
            f.write("\n".join(lines[1:]) + ("\n" if len(lines) > 1 else ""))
        os.replace(CONTROL + ".tmp", CONTROL)
        return action


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _forward(self, body):
        c = http.client.HTTPConnection("127.0.0.1", UPSTREAM, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "keep-alive")}
        c.request(self.command, self.path, body=body if body or self.command in ("PUT", "POST") else None, headers=headers)
        resp = c.getresponse()
        data = resp.read()
        c.close()
        return resp, data

    def _handle(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length) if length else b""
        action = next_action()
        with LOCK, open(CONTROL + ".log", "a") as f:
            f.write("%s %s -> %s\n" % (self.command, self.path, action))
        if action in ("500", "503"):
            msg = b"<Error><Code>InternalError</Code><Message>injected</Message></Error>"
            self.send_response(int(action))
            self.send_header("Content-Length", str(len(msg)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(msg)
            return
        if action == "drop-before":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if action.startswith("delay"):
            time.sleep(int(action.split()[1]) / 1000.0)
        resp, data = self._forward(body)
        if action == "drop":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in ("connection", "keep-alive", "transfer-encoding", "content-length"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            if action == "truncate" and len(data) > 1:
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(2)
                return
            self.wfile.write(data)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
