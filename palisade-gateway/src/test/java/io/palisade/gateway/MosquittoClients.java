package io.palisade.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** mosquitto_pub and mosquitto_sub as independent clients, with a device's credentials. */
final class MosquittoClients {

    record Result(int exitCode, String output) {
    }

    private MosquittoClients() {
    }

    static List<String> tlsArguments(Path credentials, int port) {
        return List.of("-h", "localhost", "-p", Integer.toString(port), "--cafile", credentials.resolve("ca.pem").toString(),
                "--cert", credentials.resolve("cert.pem").toString(), "--key", credentials.resolve("key.pem").toString());
    }

    static Process start(List<String> command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Process process = start(command);
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    static List<String> command(String program, List<String> base, String... extra) {
        List<String> command = new ArrayList<>();
        command.add(program);
        command.addAll(base);
        command.addAll(List.of(extra));
        return command;
    }
}
