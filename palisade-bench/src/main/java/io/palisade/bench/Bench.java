package io.palisade.bench;

/** {@code palisade-bench/run [crypto|est|gateway|handshakes|idle|scale|store|firmware|rollout|detect|model|cli|siem|console|modbus|coap|zigbee|vault|all]}. */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        String which = args.length == 0 ? "all" : args[0];
        System.out.println("Palisade benchmarks on " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version"));
        System.out.println();
        switch (which) {
            case "crypto" -> CryptoBench.run(2);
            case "est" -> EstBench.run(Integer.getInteger("devices", 500), Integer.getInteger("clients", 8));
            case "gateway" -> GatewayBench.run(Integer.getInteger("gatewayDevices", 100));
            case "handshakes" -> HandshakeBench.run(10);
            case "idle" -> IdleSessionsBench.run(Integer.getInteger("sessions", 9000));
            case "scale" -> ScaleBench.run(Integer.getInteger("gatewayDevices", 100));
            case "store" -> StoreBench.run(Integer.getInteger("storeEvents", 100_000), Integer.getInteger("storeBatch", 500));
            case "firmware" -> FirmwareBench.run();
            case "rollout" -> RolloutBench.run(Integer.getInteger("rolloutDevices", 200));
            case "model" -> ModelBench.run(10, 1000, 20);
            case "cli" -> CliBench.run();
            case "siem" -> SiemBench.run(Integer.getInteger("siemEvents", 200_000), Integer.getInteger("repeats", 2));
            case "console" -> ConsoleBench.run(Integer.getInteger("consoleDevices", 1000),
                    Integer.getInteger("consoleClients", 4));
            case "modbus" -> ModbusBench.run(Integer.getInteger("modbusClients", 4));
            case "coap" -> CoapBench.run(Integer.getInteger("coapClients", 4));
            case "vault" -> VaultBench.run(Integer.getInteger("vaultRecords", 10_000),
                    Integer.getInteger("vaultLookups", 20_000));
            case "zigbee" -> ZigbeeBench.run(Integer.getInteger("zigbeeFrames", 100_000),
                    Integer.getInteger("zigbeeSensors", 50));
            case "detect" -> {
                DetectBench.run(Integer.getInteger("detectDevices", 10_000), 5_000_000);
                ModelBench.run(10, 1000, 20);
                DetectionOverheadBench.run(Integer.getInteger("gatewayDevices", 100));
            }
            case "all" -> {
                CryptoBench.run(2);
                EstBench.run(Integer.getInteger("devices", 500), Integer.getInteger("clients", 8));
                GatewayBench.run(Integer.getInteger("gatewayDevices", 100));
                HandshakeBench.run(10);
                FirmwareBench.run();
                RolloutBench.run(Integer.getInteger("rolloutDevices", 200));
                DetectBench.run(Integer.getInteger("detectDevices", 10_000), 5_000_000);
                ModelBench.run(10, 1000, 20);
            }
            default -> {
                System.err.println("palisade-bench: unknown benchmark '" + which + "'; use crypto, est, gateway, handshakes, idle, firmware, scale, store, rollout, detect, model, cli, siem, console, modbus, coap, zigbee, vault or all");
                System.exit(2);
            }
        }
    }
}
