#!/usr/bin/env python3
"""A Lambda runtime in Python's standard library, for lambcost's tests.

It speaks the Runtime API over one kept-alive HTTP/1.1 connection, as real clients do. What it
does is chosen by LAMBCOST_TEST_MODE (passed with `lambcost measure --env`):

  echo           respond with the event (default)
  env            write the process environment as JSON to LAMBCOST_TEST_OUT, respond with it
  crash-init     exit with status 3 before asking for an event
  crash-invoke   exit with status 4 on the first event
  kill-invoke    SIGKILL itself on the first event
  init-error     report an init error, then exit
  invoke-error   report every event as failed (MyError)
  sleep          sleep LAMBCOST_TEST_MS per event (default 10000)
  slow-init      sleep LAMBCOST_TEST_MS before asking for an event
  busy           sleep LAMBCOST_TEST_INIT_MS before asking for an event, LAMBCOST_TEST_MS per event
  huge           respond with 7 MB, chunked
  chunked        respond with the event, chunked, after Expect: 100-continue
  wrong-id       respond to a made-up id first (expect 400), then to the right one
  alloc          allocate LAMBCOST_TEST_MB (default 300) MB per event

With LAMBCOST_TEST_PIDS set, it first starts two `sleep` children and writes their pids and its
own to that file (or to a file named by its pid, in that directory), whatever the mode. (CPU-bound work and init fidelity are measured with the
bundled handler, whose own workloads they are.)
"""
import http.client
import json
import os
import signal
import subprocess
import sys
import time

MODE = os.environ.get("LAMBCOST_TEST_MODE", "echo")
API = os.environ["AWS_LAMBDA_RUNTIME_API"]
BASE = "/2018-06-01/runtime"
conn = http.client.HTTPConnection(API)


def call(method, path, body=None, headers=None):
    conn.request(method, BASE + path, body=body, headers=headers or {})
    response = conn.getresponse()
    return response.status, dict(response.getheaders()), response.read()


def post_chunked(path, body, expect=False):
    conn.putrequest("POST", BASE + path)
    conn.putheader("Transfer-Encoding", "chunked")
    conn.putheader("Content-Type", "application/json")
    if expect:
        conn.putheader("Expect", "100-continue")
    conn.endheaders()
    step = 1 << 16
    for i in range(0, len(body), step):
        piece = body[i:i + step]
        conn.send(b"%x\r\n" % len(piece) + piece + b"\r\n")
    conn.send(b"0\r\n\r\n")
    response = conn.getresponse()
    return response.status, response.read()


def wait_ms(default):
    return int(os.environ.get("LAMBCOST_TEST_MS", default)) / 1000.0


if MODE == "crash-init":
    sys.exit(3)
if MODE == "init-error":
    call("POST", "/init/error", json.dumps({"errorMessage": "bad configuration", "errorType": "Runtime.ConfigError"}),
         {"Lambda-Runtime-Function-Error-Type": "Runtime.ConfigError"})
    sys.exit(1)
if MODE == "slow-init":
    time.sleep(wait_ms(2000))
if MODE == "busy":
    time.sleep(int(os.environ.get("LAMBCOST_TEST_INIT_MS", "500")) / 1000.0)
if "LAMBCOST_TEST_PIDS" in os.environ:
    kids = [subprocess.Popen(["sleep", "1000"]) for _ in range(2)]
    pids = os.environ["LAMBCOST_TEST_PIDS"]
    # A directory collects one file per environment, for runs of several at once.
    if os.path.isdir(pids):
        pids = os.path.join(pids, str(os.getpid()))
    with open(pids + ".part", "w") as out:
        out.write(" ".join(str(p) for p in [os.getpid()] + [k.pid for k in kids]))
    os.rename(pids + ".part", pids)

while True:
    status, headers, event = call("GET", "/invocation/next")
    request_id = headers["Lambda-Runtime-Aws-Request-Id"]
    assert headers.get("Content-Type") == "application/json"
    assert int(headers["Lambda-Runtime-Deadline-Ms"]) > time.time() * 1000
    assert headers["Lambda-Runtime-Invoked-Function-Arn"].startswith("arn:aws:lambda:")
    assert headers["Lambda-Runtime-Trace-Id"].startswith("Root=1-")
    reply = event
    if MODE == "crash-invoke":
        sys.exit(4)
    if MODE == "kill-invoke":
        os.kill(os.getpid(), signal.SIGKILL)
    if MODE == "invoke-error":
        call("POST", "/invocation/%s/error" % request_id,
             json.dumps({"errorMessage": "it failed", "errorType": "MyError", "stackTrace": []}),
             {"Lambda-Runtime-Function-Error-Type": "MyError"})
        continue
    if MODE == "sleep":
        time.sleep(wait_ms(10000))
    if MODE == "busy":
        time.sleep(wait_ms(200))
    if MODE == "alloc":
        hog = bytearray(int(os.environ.get("LAMBCOST_TEST_MB", "300")) * 1024 * 1024)
        for i in range(0, len(hog), 4096):
            hog[i] = 1
        reply = json.dumps({"allocated": len(hog)}).encode()
        del hog
    if MODE == "env":
        reply = json.dumps(dict(os.environ)).encode()
        with open(os.environ["LAMBCOST_TEST_OUT"], "w") as out:
            out.write(reply.decode())
    if MODE == "huge":
        status, _ = post_chunked("/invocation/%s/response" % request_id, b"x" * (7 * 1024 * 1024))
        assert status == 413, status
        continue
    if MODE == "chunked":
        status, _ = post_chunked("/invocation/%s/response" % request_id, reply, expect=True)
        assert status == 202, status
        continue
    if MODE == "wrong-id":
        status, _, body = call("POST", "/invocation/not-in-flight/response", b"{}")
        assert status == 400 and b"InvalidRequestID" in body, (status, body)
    status, _, _ = call("POST", "/invocation/%s/response" % request_id, reply)
    assert status == 202, status
