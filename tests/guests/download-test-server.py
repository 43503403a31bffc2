#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A web server on 127.0.0.1 for the install-tree download test; prints "port N" when it listens.

  /file.bin         200, SIZE bytes (byte i is i % 251), with Content-Length
  /redirect         302 to /file.bin (relative);  /redirect-abs  301 to http(s)://127.0.0.1:PORT/file.bin
  /loop             302 to /loop, for ever
  /truncated        Content-Length: SIZE, then only 5000 bytes and the connection closed
  /slow             Content-Length: 100 MiB, 64 KiB, then 64 KiB every 2 s
  anything else     404
With --cert FILE --key FILE it speaks TLS. It ends when its standard input closes (the test ended,
however it ended).
"""
import argparse, http.server, os, socketserver, ssl, sys, threading, time

SIZE = 300 * 1024


def body(n):
    return bytes(i % 251 for i in range(n))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        scheme = "https" if self.server.tls else "http"
        if self.path == "/file.bin":
            data = body(SIZE)
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        elif self.path == "/redirect":
            self.redirect(302, "/file.bin")
        elif self.path == "/redirect-abs":
            self.redirect(301, f"{scheme}://127.0.0.1:{self.server.server_address[1]}/file.bin")
        elif self.path == "/loop":
            self.redirect(302, "/loop")
        elif self.path == "/truncated":
            self.send_response(200)
            self.send_header("Content-Length", str(SIZE))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body(5000))
            self.wfile.flush()
            self.close_connection = True
        elif self.path == "/slow":
            self.send_response(200)
            self.send_header("Content-Length", str(100 * 1024 * 1024))
            self.end_headers()
            try:
                for _ in range(1600):
                    self.wfile.write(body(64 * 1024))
                    self.wfile.flush()
                    time.sleep(2)
            except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
                pass
            self.close_connection = True
        else:
            self.send_error(404, "Not Found")

    def redirect(self, code, location):
        self.send_response(code)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cert")
    ap.add_argument("--key")
    args = ap.parse_args()
    server = Server(("127.0.0.1", 0), Handler)
    server.tls = args.cert is not None
    if server.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.cert, args.key)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    print(f"port {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
