package io.palisade.control.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.palisade.control.siem.SiemForwarder;
import io.palisade.core.event.EventSink;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The process's metrics. Events are counted by a subscriber of the event bus ({@link #eventCounter()}: every
 * event, floods included, by type and severity; refusals by action; findings by rule); the gateway's traffic by
 * a {@link io.palisade.core.event.TrafficObserver} in front of detection ({@link MeteredTraffic}); gauges are
 * read when Prometheus scrapes. Counters for every type and severity exist from the start, so a rate is
 * defined before the first event.
 */
public final class PalisadeMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<EventType, Counter[]> events = new EnumMap<>(EventType.class);
    private final MultiGauge siemBacklog;
    private final MultiGauge siemFailing;
    private final Timer storeAppend;
    private Supplier<List<SiemForwarder.Status>> siem = List::of;

    public PalisadeMetrics() {
        for (EventType type : EventType.values()) {
            Counter[] bySeverity = new Counter[Severity.values().length];
            for (Severity severity : Severity.values()) {
                bySeverity[severity.ordinal()] = Counter.builder("palisade.events").description("security events raised")
                        .tags("type", type.wireName(), "severity", severity.wireName()).register(registry);
            }
            events.put(type, bySeverity);
        }
        siemBacklog = MultiGauge.builder("palisade.siem.backlog")
                .description("events stored after a SIEM destination's cursor").register(registry);
        siemFailing = MultiGauge.builder("palisade.siem.failing")
                .description("1 while a SIEM destination is failing").register(registry);
        storeAppend = Timer.builder("palisade.store.append").description("one batch of events written to the store")
                .publishPercentiles(0.5, 0.99).register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** The event bus subscriber: counts every event, refusals by action and findings by rule. */
    public EventSink eventCounter() {
        return this::count;
    }

    private void count(SecurityEvent event) {
        events.get(event.type())[event.severity().ordinal()].increment();
        switch (event.type()) {
            case ACL_DENIED -> registry.counter("palisade.refusals", "reason", "acl",
                    "action", event.details().getOrDefault("action", "connect")).increment();
            case QUOTA_EXCEEDED -> registry.counter("palisade.refusals", "reason", "quota", "action", "any").increment();
            case PROTOCOL_VIOLATION -> registry.counter("palisade.refusals", "reason", "protocol", "action", "any")
                    .increment();
            case ANOMALY_DETECTED -> registry.counter("palisade.detection.findings",
                    "rule", event.details().getOrDefault("rule", "unknown")).increment();
            default -> {
            }
        }
    }

    /** Times each write of events to the store. */
    public <T> Consumer<T> timedStore(Consumer<T> store) {
        return batch -> storeAppend.record(() -> store.accept(batch));
    }

    /** A gauge read at each scrape. */
    public <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).description(description).register(registry);
    }

    /** Where the SIEM gauges come from (the SIEM service, once it runs). */
    public void siemFrom(Supplier<List<SiemForwarder.Status>> statuses) {
        this.siem = statuses;
    }

    /** The traffic counters, to put in front of {@code next} on the gateway's I/O threads. */
    public MeteredTraffic traffic(io.palisade.core.event.TrafficObserver next) {
        return new MeteredTraffic(registry, next);
    }

    /** Everything, in the Prometheus text format. */
    public String scrape() {
        List<SiemForwarder.Status> statuses = siem.get();
        siemBacklog.register(statuses.stream().map(s -> MultiGauge.Row.of(Tags.of("destination",
                s.destination().name()), s.backlog())).toList(), true);
        siemFailing.register(statuses.stream().map(s -> MultiGauge.Row.of(Tags.of("destination",
                s.destination().name()), s.failing() ? 1 : 0)).toList(), true);
        return registry.scrape();
    }
}
