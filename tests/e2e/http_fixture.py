"""A small HTTP server on 127.0.0.1 for the fetch tests, in a thread of
the test process: routes to fixed bodies, and the hostile behaviours a
client must survive (HTTP 500, garbage, a slow drip, a hang, a body over
the cap without Content-Length, redirect loops, a redirect to file://).
Counts the requests each path got."""
import http.server
import socket
import threading
import time


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # close-delimited bodies

    def log_message(self, *args):
        pass

    def do_GET(self):
        srv = self.server
        path = self.path.split("?")[0]
        route = srv.routes.get(path)
        if route is None:  # OCSP GETs append "/BASE64" to the URL
            for key, r in srv.routes.items():
                if path.startswith(key + "/"):
                    route = r
                    path = key
                    break
        with srv.lock:
            srv.hits[path] = srv.hits.get(path, 0) + 1
        if route is None:
            self.send_error(404)
            return
        kind, arg = route
        try:
            if kind == "body":
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(arg)))
                self.end_headers()
                self.wfile.write(arg)
            elif kind == "status":
                self.send_response(arg)
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif kind == "redirect":
                self.send_response(302)
                self.send_header("Location", arg)
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif kind == "drip":  # a byte every arg seconds, forever
                self.send_response(200)
                self.end_headers()
                while not srv.stopping:
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(arg)
            elif kind == "hang":  # read the request, never answer
                while not srv.stopping:
                    time.sleep(0.1)
            elif kind == "stream":  # arg bytes, no Content-Length
                self.send_response(200)
                self.end_headers()
                chunk = b"\x30" * 65536
                sent = 0
                while sent < arg and not srv.stopping:
                    self.wfile.write(chunk)
                    sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_POST = do_GET


class Server:
    def __init__(self):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                     Handler)
        self.httpd.daemon_threads = True
        self.httpd.routes = {}
        self.httpd.hits = {}
        self.httpd.lock = threading.Lock()
        self.httpd.stopping = False
        self.port = self.httpd.server_address[1]
        self.base = "http://127.0.0.1:%d" % self.port
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       daemon=True)
        self.thread.start()

    def route(self, path, kind, arg=None):
        self.httpd.routes[path] = (kind, arg)
        return self.base + path

    def hits(self, path):
        with self.httpd.lock:
            return self.httpd.hits.get(path, 0)

    def stop(self):
        self.httpd.stopping = True
        self.httpd.shutdown()
        self.httpd.server_close()


def free_port():
    """A port nobody listens on now (for a server started later, or for
    a "responder down" URL)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port
