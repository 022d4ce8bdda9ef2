# A PLC for the tests: pymodbus 3.0 (Debian python3-pymodbus) serving units 1 and 2 on HOST:PORT (HOST default 127.0.0.1);
# holding register N holds N, input registers hold 7, coils and discrete inputs start off.
import asyncio, sys
from pymodbus.server import StartAsyncTcpServer
from pymodbus.datastore import ModbusSequentialDataBlock, ModbusSlaveContext, ModbusServerContext
port = int(sys.argv[1])
host = sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1"
store = ModbusSlaveContext(di=ModbusSequentialDataBlock(0, [0] * 300), co=ModbusSequentialDataBlock(0, [0] * 300),
                           hr=ModbusSequentialDataBlock(0, list(range(300))), ir=ModbusSequentialDataBlock(0, [7] * 300),
                           zero_mode=True)
context = ModbusServerContext(slaves={1: store, 2: store}, single=False)
print("ready", flush=True)
asyncio.run(StartAsyncTcpServer(context=context, address=(host, port)))
