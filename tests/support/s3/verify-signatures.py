#!/usr/bin/python3
"""Recomputes the SigV4 signature of every recorded request with botocore (Debian's python3-botocore) and
compares it with the one our client (libcurl's CURLOPT_AWS_SIGV4) sent.

Usage: verify-signatures.py LOGFILE ACCESS_KEY SECRET_KEY REGION [SESSION_TOKEN]
Prints one line per request; exits 1 when any signature differs or a required header was not signed."""
import base64
import json
import re
import sys

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

log, key, secret, region = sys.argv[1:5]
token = sys.argv[5] if len(sys.argv) > 5 else None
creds = Credentials(key, secret, token)
failures = 0
count = 0
for line in open(log):
    r = json.loads(line)
    count += 1
    headers = {k.lower(): v for k, v in r["headers"]}
    auth = headers.get("authorization", "")
    m = re.match(r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/s3/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$", auth)
    if not m:
        print("FAIL %s %s: no SigV4 Authorization header: %r" % (r["method"], r["target"], auth))
        failures += 1
        continue
    signed = m.group(4).split(";")
    body = base64.b64decode(r["body"])
    url = "http://" + headers["host"] + r["target"]
    req = AWSRequest(method=r["method"], url=url, data=body,
                     headers={h: headers[h] for h in signed if h in headers})
    req.context["timestamp"] = headers["x-amz-date"]
    signer = S3SigV4Auth(creds, "s3", region)
    # The same steps as add_auth, at the request's own time: canonical request, string to sign, signature.
    canonical = signer.canonical_request(req)
    expected = signer.signature(signer.string_to_sign(req, canonical), req)
    required = {"host", "x-amz-date", "x-amz-content-sha256"} | ({"x-amz-security-token"} if token else set())
    for h in ("content-md5", "if-none-match", "range", "content-type"):
        if h in headers:
            required.add(h)
    missing = required - set(signed)
    import hashlib
    payload_ok = headers.get("x-amz-content-sha256") == hashlib.sha256(body).hexdigest()
    ok = expected == m.group(5) and not missing and payload_ok and set(signed) <= set(headers)
    if not ok:
        failures += 1
        print("FAIL %s %s: ours %s, botocore %s, unsigned %s, payload hash %s, signed but not sent %s\n  canonical request:\n%s"
              % (r["method"], r["target"], m.group(5), expected, sorted(missing), "ok" if payload_ok else "WRONG",
                 sorted(set(signed) - set(headers)), canonical))
    else:
        print("ok   %s %s" % (r["method"], r["target"]))
print("%d requests, %d mismatches" % (count, failures))
sys.exit(1 if failures or count == 0 else 0)
