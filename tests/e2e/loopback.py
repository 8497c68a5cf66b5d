"""What the e2e tests that start servers on 127.0.0.1 share: a free port,
waiting for a process to listen, and certtool run quietly (for
certificates made at test time with fixed dates)."""
import socket
import subprocess
import time


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_listening(port, proc, seconds=20):
    """Until something accepts on 127.0.0.1:port; an error when proc
    exits first or nothing listens in time."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError("process exited with %r" % proc.returncode)
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nothing listened on 127.0.0.1:%d" % port)


def certtool(*args):
    subprocess.run(["certtool"] + list(args), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run_main(module):
    """unittest's run of module's tests, ending with the 'N passed, M
    failed' line that scripts/valgrind.sh and CI read; exits 1 on a
    failure."""
    import sys
    import unittest
    suite = unittest.defaultTestLoader.loadTestsFromModule(module)
    res = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(res.failures) + len(res.errors)
    print("%d passed, %d failed" % (res.testsRun - failed -
                                    len(res.skipped), failed))
    sys.exit(1 if failed else 0)
