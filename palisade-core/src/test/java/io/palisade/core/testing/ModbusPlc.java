package io.palisade.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real PLC for tests: pymodbus 3.0 (Debian {@code python3-pymodbus}, run with {@code /usr/bin/python3}) serving
 * units 1 and 2 on 127.0.0.1 ({@code modbus-plc.py}: holding register N holds N, input registers hold 7, coils and
 * discrete inputs start off). Started on a {@link PeerPorts} port; ready when it accepts connections.
 */
public final class ModbusPlc implements AutoCloseable {

    private final Process process;
    private final int port;

    private ModbusPlc(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static ModbusPlc start(Path dir) throws IOException, InterruptedException {
        return start(dir, java.util.List.of(), "127.0.0.1", PeerPorts.free());
    }

    /**
     * A PLC listening on {@code host:port}, started through {@code prefix} (e.g. {@code ip netns exec NS}, to put it
     * in an isolated network namespace); ready when this process can connect to it.
     */
    public static ModbusPlc start(Path dir, java.util.List<String> prefix, String host, int port)
            throws IOException, InterruptedException {
        Path script = dir.resolve("modbus-plc.py");
        try (InputStream in = ModbusPlc.class.getResourceAsStream("modbus-plc.py")) {
            Files.write(script, in.readAllBytes());
        }
        Path log = dir.resolve("modbus-plc.log");
        java.util.List<String> command = new java.util.ArrayList<>(prefix);
        command.addAll(java.util.List.of("/usr/bin/python3", script.toString(), Integer.toString(port), host));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket probe = new Socket(host, port)) {
                return new ModbusPlc(process, port);
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("pymodbus (Debian python3-pymodbus, python3-serial,"
                            + " python3-serial-asyncio) did not start: " + Files.readString(log));
                }
                Thread.sleep(100);
            }
        }
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
