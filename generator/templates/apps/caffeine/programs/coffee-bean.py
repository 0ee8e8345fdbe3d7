import http.server, socketserver, time, json, os
try:
    import queue
except ImportError:
    import Queue as queue

# Get environment variables
workon_home = os.environ.get('WORKON_HOME', '/tmp')

print(f'Coffee Bean running, endpoint service (WORKON_HOME: {workon_home})')

class RequestHandler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header('Content-type', 'application/json')
        self.end_headers()
        response = {
            'service': 'coffee-bean',
            'status': 'ok',
            'time': time.time(),
            'environment': {
                'workon_home': workon_home
            }
        }
        self.wfile.write(json.dumps(response).encode())

# Start the HTTP server
httpd = socketserver.TCPServer(('', 8080), RequestHandler)
httpd.serve_forever()