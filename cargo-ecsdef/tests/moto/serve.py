"""Runs a moto server for the AWS verbs' tests on a free port of 127.0.0.1, prints its
endpoint on the first line, and stops when its stdin closes: the test process that started it
holds the other end, so the server never outlives the tests."""

import logging
import sys

from moto.server import ThreadedMotoServer

# No request log: the tests' output is theirs.
logging.getLogger("werkzeug").setLevel(logging.ERROR)
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
host, port = server.get_host_and_port()
print(f"http://{host}:{port}", flush=True)
sys.stdin.read()
server.stop()
