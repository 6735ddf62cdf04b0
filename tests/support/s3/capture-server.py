#!/usr/bin/env python3
"""An S3 look-alike that records every request (for the signature check) and answers as S3 would.

Usage: capture-server.py PORTFILE LOGFILE
Writes the port it listens on to PORTFILE, then one JSON line per request to LOGFILE:
method, the raw path and query, every header, the body (base64)."""
import base64
import hashlib
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _record(self, body):
        with LOCK, open(sys.argv[2], "a") as f:
            f.write(json.dumps({"method": self.command, "target": self.path,
                                "headers": [[k, v] for k, v in self.headers.items()],
                                "body": base64.b64encode(body).decode()}) + "\n")

    def _answer(self, status, body=b"", headers=None):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _handle(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length) if length else b""
        self._record(body)
        q = self.path.partition("?")[2]
        if self.command == "HEAD":
            return self._answer(404)
        if self.command == "GET" and "list-type=2" in q:
            xml = b'<?xml version="1.0"?><ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>'
            return self._answer(200, xml)
        if self.command == "GET":
            return self._answer(206, b"0123", {"Content-Range": "bytes 0-3/4"})
        if self.command == "PUT":
            return self._answer(200, b"", {"ETag": '"%s"' % hashlib.md5(body).hexdigest()})
        if self.command == "POST" and "uploads=" in q:
            return self._answer(200, b"<InitiateMultipartUploadResult><UploadId>up/1+2=</UploadId></InitiateMultipartUploadResult>")
        if self.command == "POST":
            return self._answer(200, b"<CompleteMultipartUploadResult></CompleteMultipartUploadResult>")
        return self._answer(204)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
