# A Modbus master that keeps one connection open and reads holding registers 0-1 of unit 1 every 20 ms; prints
# "answered" after the first answer and "closed EPOCH_MS" when the connection ends (for the overlay's cut timing).
import socket, struct, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
transaction = 0
while True:
    transaction += 1
    try:
        s.sendall(struct.pack(">HHHBBHH", transaction, 0, 6, 1, 3, 0, 2))
        data = s.recv(64)
    except OSError:
        data = b""
    if not data:
        print("closed %d" % int(time.time() * 1000), flush=True)
        break
    if transaction == 1:
        print("answered", flush=True)
    time.sleep(0.02)
