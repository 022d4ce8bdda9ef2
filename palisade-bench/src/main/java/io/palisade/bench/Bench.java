package io.palisade.bench;

/** {@code palisade-bench [crypto|est|all]}. */
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
            case "all" -> {
                CryptoBench.run(2);
                EstBench.run(Integer.getInteger("devices", 500), Integer.getInteger("clients", 8));
            }
            default -> {
                System.err.println("palisade-bench: unknown benchmark '" + which + "'; use crypto, est or all");
                System.exit(2);
            }
        }
    }
}
