# The WSGI application gunicorn serves in gunicorn_statsd.yaml: /fail* answers 500, anything
# else 200 with the path.
def application(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    if path.startswith("/fail"):
        start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
        return [b"failed\n"]
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [("hello from " + path + "\n").encode()]
