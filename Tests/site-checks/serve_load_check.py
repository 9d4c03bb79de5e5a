#!/usr/bin/env python3
"""`orbis serve` under load: 100 open reload streams, 20,000 requests from wrk, idle connections closed.

usage: serve_load_check.py ORBIS_BINARY SITE_ROOT
Serves a copy of SITE_ROOT (so the check can edit it) and fails unless: wrk completes at least 20,000 requests
with no socket error and no non-2xx answer while 100 Server-Sent Events streams stay open; every one of those
streams then receives the reload event of an edit; a silent connection is closed by the server's idle timeout;
and Ctrl-C stops the server with exit code 0.
"""
import os
import re
import select
import signal
import shutil
import socket
import subprocess
import sys
import tempfile

from serving import start_serve

STREAMS = 100
REQUESTS = 20_000
THREADS = 2
IDLE_TIMEOUT = 2

# wrk only knows durations: each thread stops after its share of the requests and says so through a FIFO; once
# all have, the check sends wrk SIGINT, which ends the run and prints its report.
WRK_SCRIPT = """
local done, limit, fifo = 0, 0, ""
function init(args) limit, fifo = tonumber(args[1]), args[2] end
function response(status, headers, body)
  done = done + 1
  if done == limit then
    wrk.thread:stop()
    local f = io.open(fifo, "w"); f:write("done\\n"); f:close()
  end
end
"""


def fail(message):
    print("serve load check: FAILED: " + message)
    sys.exit(1)


def read_event(stream, name, pending):
    """Reads from `stream` until the event `name` arrives; returns the rest of what was read."""
    marker = b"event: " + name.encode()
    while marker not in pending:
        chunk = stream.recv(65536)
        if not chunk:
            raise ConnectionError("stream closed before '%s'" % name)
        pending += chunk
    return pending.split(marker, 1)[1]


def main():
    binary, source = sys.argv[1], sys.argv[2]
    work = tempfile.mkdtemp(prefix="orbis-load-")
    site = os.path.join(work, "site")
    os.mkdir(site)
    for name in ("Content", "Templates"):
        shutil.copytree(os.path.join(source, name), os.path.join(site, name))
    shutil.copy(os.path.join(source, "site.yaml"), site)
    script = os.path.join(work, "count.lua")
    with open(script, "w") as f:
        f.write(WRK_SCRIPT)

    server, port = start_serve(binary, site, "--idle-timeout", str(IDLE_TIMEOUT), merge_stderr=True)
    try:
        for line in server.stdout:
            if line.startswith("Built "):
                break  # the address comes first, then the first build

        streams = []
        for _ in range(STREAMS):
            stream = socket.create_connection(("127.0.0.1", port))
            stream.settimeout(20)
            stream.sendall(b"GET /__orbis/events HTTP/1.1\r\nHost: localhost:%d\r\n\r\n" % port)
            streams.append([stream, read_event(stream, "hello", b"")])
        print("%d reload streams open" % len(streams))

        per_thread = REQUESTS // THREADS
        fifo = os.path.join(work, "threads-done")
        os.mkfifo(fifo)
        reader = os.open(fifo, os.O_RDWR)  # read-write: never sees end-of-file between the threads' writes
        wrk = subprocess.Popen(
            ["wrk", "-t%d" % THREADS, "-c50", "-d300s", "-s", script, "http://127.0.0.1:%d/partners/" % port,
             "--", str(per_thread), fifo], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        finished = b""
        while finished.count(b"done") < THREADS:
            if not select.select([reader], [], [], 300)[0]:
                wrk.kill()
                fail("wrk did not finish %d requests in 300 s" % REQUESTS)
            finished += os.read(reader, 64)
        wrk.send_signal(signal.SIGINT)
        report, errors = wrk.communicate(timeout=30)
        print(report.strip())
        done = re.search(r"(\d+) requests in", report)
        if wrk.returncode != 0 or not done:
            fail("wrk did not run: " + errors)
        if int(done.group(1)) < REQUESTS:
            fail("only %s requests completed, expected %d" % (done.group(1), REQUESTS))
        if "Socket errors" in report or "Non-2xx" in report:
            fail("errors under load (see wrk's report above)")

        page = os.path.join(site, "Content/index.md")
        with open(page, "a", encoding="utf-8") as f:
            f.write("\nEdited under load.\n")
        for entry in streams:
            entry[1] = read_event(entry[0], "reload", entry[1])
        print("all %d reload streams received the reload after the load" % len(streams))

        idle = socket.create_connection(("127.0.0.1", port))
        idle.settimeout(IDLE_TIMEOUT + 15)
        if idle.recv(1) != b"":
            fail("the server sent bytes on a connection that sent no request")
        print("a silent connection was closed by the server's %d s idle timeout" % IDLE_TIMEOUT)

        server.send_signal(signal.SIGINT)
        if server.wait(timeout=10) != 0:
            fail("Ctrl-C did not stop the server cleanly (exit %d)" % server.returncode)
        print("Ctrl-C with %d open streams: exit 0" % len(streams))
    except socket.timeout:
        fail("timed out waiting for the server")
    finally:
        if server.poll() is None:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)


main()
