package io.palisade.sim;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.util.List;

/**
 * Where simulated devices find a running Palisade and what they trust, as a real device is
 * provisioned at the factory.
 *
 * @param gatewayHost  host of the MQTT gateway
 * @param mqttPort     its port (8883 by default)
 * @param tufBase      the update repository, e.g. {@code https://host:8443/tuf/}
 * @param http         client for the repository, trusting the instance's CA
 * @param trustedRoot  the repository's root metadata the devices are provisioned with
 * @param firmwareKeys the firmware signing keys the boot verifier pins
 * @param commandKey   the control plane's command key, which signs wipe and reflash commands
 * @param dataRoot     where each device keeps its (encrypted) data store, one folder per device
 */
public record SimulationConfig(String gatewayHost, int mqttPort, URI tufBase, HttpClient http, byte[] trustedRoot,
                               List<PublicKey> firmwareKeys, PublicKey commandKey, Path dataRoot, Clock clock) {

    public SimulationConfig {
        firmwareKeys = List.copyOf(firmwareKeys);
        trustedRoot = trustedRoot.clone();
    }
}
