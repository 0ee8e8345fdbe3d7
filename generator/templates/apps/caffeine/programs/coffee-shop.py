import http.server, socketserver, threading, time, urllib.request, json, os
try:
    import queue
except ImportError:
    import Queue as queue

# Get service URLs from environment variables
barista_url = os.environ.get('BARISTA_URL', 'http://barista:8000')
coffee_bean_url = os.environ.get('COFFEE_BEAN_URL', 'http://coffee-bean:8000')
# Get interval from environment variables (in seconds)
interval = float(os.environ.get('INTERVAL', '10'))

print(f'Coffee Shop running, connecting to Barista ({barista_url}) and Coffee Bean ({coffee_bean_url})')
print(f'Using interval of {interval} seconds for periodic calls')

class RequestHandler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header('Content-type', 'application/json')
        self.end_headers()
        response = {
            'service': 'coffee-shop',
            'status': 'ok',
            'time': time.time(),
            'connecting_to': {
                'barista': barista_url,
                'coffee_bean': coffee_bean_url
            },
            'interval': interval
        }
        self.wfile.write(json.dumps(response).encode())

def call_service(url, service_name):
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            result = response.read()
            print(f'Called {service_name} successfully: {result[:100]}')
    except Exception as e:
        print(f'Error calling {service_name}: {e}')

def periodic_calls():
    while True:
        # Call Barista
        call_service(barista_url, 'Barista')
        # Call Coffee Bean
        call_service(coffee_bean_url, 'Coffee Bean')
        time.sleep(interval)  # Wait for configured interval

# Start the background thread for periodic calls
thread = threading.Thread(target=periodic_calls, daemon=True)
thread.start()

# Start the HTTP server
httpd = socketserver.TCPServer(('', 8080), RequestHandler)
httpd.serve_forever()