"""Starting `orbis serve` for the checks and benchmarks that talk to it (live_reload_check, serve_load_check,
bench/serve_latency)."""

import re
import subprocess


def start_serve(binary, root, *options, merge_stderr=False):
    """Starts `orbis serve --root ROOT --port 0 OPTIONS…` and returns the process and the port it printed.
    Its stdout stays open for the caller, which reads the 'Built …' lines that follow the address."""
    server = subprocess.Popen([binary, "serve", "--root", root, "--port", "0", *options], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT if merge_stderr else None, text=True)
    for line in server.stdout:
        match = re.search(r"Serving at http://[^:]+:(\d+)/", line)
        if match:
            return server, int(match.group(1))
    server.wait()
    raise SystemExit("orbis serve did not start (exit status %d)" % server.returncode)
