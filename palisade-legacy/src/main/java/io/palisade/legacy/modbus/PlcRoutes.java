package io.palisade.legacy.modbus;

import io.palisade.core.modbus.IntRanges;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which PLC serves which unit ids, as a Modbus gateway routes: {@code HOST:PORT} serves every unit,
 * {@code 1-5=HOST:PORT} serves units 1 to 5. Units may not be claimed by two PLCs.
 */
public final class PlcRoutes {

    private record Route(IntRanges units, InetSocketAddress plc) {
    }

    private final List<Route> routes;

    private PlcRoutes(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /** Parses {@code --modbus-plc} values; host names are resolved once, here. */
    public static PlcRoutes parse(List<String> specs) {
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("no PLC given");
        }
        List<Route> routes = new ArrayList<>();
        for (String spec : specs) {
            int equals = spec.indexOf('=');
            IntRanges units = equals < 0 ? IntRanges.parse("0-255", 0, 255, "units")
                    : IntRanges.parse(spec.substring(0, equals), 0, 255, "units of '" + spec + "'");
            String address = spec.substring(equals + 1).strip();
            int colon = address.lastIndexOf(':');
            int port;
            try {
                port = colon <= 0 ? -1 : Integer.parseInt(address.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("a PLC is HOST:PORT or UNITS=HOST:PORT (e.g. 1-5=10.0.0.5:502),"
                        + " not '" + spec + "'");
            }
            String host = address.substring(0, colon).replaceAll("^\\[|]$", "");
            Route route = new Route(units, new InetSocketAddress(host, port));
            for (Route other : routes) {
                for (int unit = 0; unit <= 255; unit++) {
                    if (other.units().contains(unit) && units.contains(unit)) {
                        throw new IllegalArgumentException("unit " + unit + " is served by two PLCs: " + other.plc()
                                + " and " + route.plc());
                    }
                }
            }
            routes.add(route);
        }
        return new PlcRoutes(routes);
    }

    public static PlcRoutes single(InetSocketAddress plc) {
        return new PlcRoutes(List.of(new Route(IntRanges.parse("0-255", 0, 255, "units"), plc)));
    }

    Optional<InetSocketAddress> plcFor(int unit) {
        return routes.stream().filter(route -> route.units().contains(unit)).map(Route::plc).findFirst();
    }

    /** As the banner shows it: {@code units 1-5 -> 10.0.0.5:502, units 6 -> ...}. */
    public String describe() {
        return String.join(", ", routes.stream().map(route -> "units " + route.units() + " -> "
                + route.plc().getHostString() + ":" + route.plc().getPort()).toList());
    }
}
