import http.server, socketserver, threading, time, urllib.request, json, os, random
try:
    import queue
except ImportError:
    import Queue as queue

# Get environment variables
version = os.environ.get('VERSION', 'v2')
coffee_bean_url = os.environ.get('COFFEE_BEAN_URL', 'http://coffee-bean:8000')
# Get success probability (0-100)
success_probability = float(os.environ.get('SUCCESS_PROBABILITY', '100'))
# Get interval from environment variables (in seconds)
interval = float(os.environ.get('INTERVAL', '10'))

print(f'Barista {version} running, connecting to Coffee Bean ({coffee_bean_url})')
print(f'Success probability set to: {success_probability}%')
print(f'Using interval of {interval} seconds for periodic calls')

class RequestHandler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        # Determine if this request should succeed based on probability
        will_succeed = random.random() * 100 < success_probability
        
        if will_succeed:
            status_code = 200
            status_text = 'ok'
        else:
            status_code = 503
            status_text = 'service unavailable'
            
        self.send_response(status_code)
        self.send_header('Content-type', 'application/json')
        self.end_headers()
        response = {
            'service': 'barista',
            'version': version,
            'status': status_text, 
            'time': time.time(),
            'connecting_to': {
                'coffee_bean': coffee_bean_url
            },
            'success_probability': success_probability,
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
        # Call Coffee Bean
        call_service(coffee_bean_url, 'Coffee Bean')
        time.sleep(interval)  # Wait for configured interval

# Start the background thread for periodic calls
thread = threading.Thread(target=periodic_calls, daemon=True)
thread.start()

# Start the HTTP server
httpd = socketserver.TCPServer(('', 8080), RequestHandler)
httpd.serve_forever()