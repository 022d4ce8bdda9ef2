package io.palisade.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every packet-id flow of MQTT 3.1.1 and 5 through {@link QosFlows}, both directions. */
class QosFlowsTest {

    private final QosFlows flows = new QosFlows(2);

    @Test
    void qos1_is_in_flight_from_publish_to_puback_whatever_the_reason_code() {
        assertThat(flows.publishFromDevice(1, false)).isEqualTo(QosFlows.Start.FORWARD);
        assertThat(flows.inflight()).isEqualTo(1);
        flows.pubAckFromBroker(1);
        assertThat(flows.inflight()).isZero();
    }

    @Test
    void qos2_is_in_flight_until_pubcomp_after_a_successful_pubrec() {
        flows.publishFromDevice(1, false);
        flows.pubRecFromBroker(1, 0x00);
        assertThat(flows.inflight()).as("PUBREC 0x00: waiting for PUBCOMP").isEqualTo(1);
        assertThat(flows.pubrelAnsweredByGateway(1)).as("the device's PUBREL goes to the broker").isFalse();
        flows.pubCompFromBroker(1);
        assertThat(flows.inflight()).isZero();
    }

    @Test
    void a_failed_pubrec_from_the_broker_ends_the_qos2_flow() {
        flows.publishFromDevice(1, false);
        flows.publishFromDevice(2, false);
        flows.pubRecFromBroker(1, 0x87);
        flows.pubRecFromBroker(2, 0x80);
        assertThat(flows.inflight()).isZero();
        assertThat(flows.publishFromDevice(3, false)).isEqualTo(QosFlows.Start.FORWARD);
        assertThat(flows.publishFromDevice(4, false)).isEqualTo(QosFlows.Start.FORWARD);
        assertThat(flows.publishFromDevice(5, false)).as("receive maximum 2").isEqualTo(QosFlows.Start.OVER_LIMIT);
    }

    @Test
    void a_pubrel_for_a_qos2_publish_the_gateway_refused_is_answered_once() {
        flows.refusedByGateway(7, 2);
        assertThat(flows.inflight()).as("a refused publish is not in flight").isZero();
        assertThat(flows.pubrelAnsweredByGateway(7)).isTrue();
        assertThat(flows.pubrelAnsweredByGateway(7)).as("the flow is over after PUBCOMP").isFalse();
    }

    @Test
    void reusing_the_id_of_a_refused_qos2_publish_starts_a_flow_that_belongs_to_the_broker() {
        flows.refusedByGateway(7, 2);
        assertThat(flows.publishFromDevice(7, false)).isEqualTo(QosFlows.Start.FORWARD);
        assertThat(flows.pubrelAnsweredByGateway(7)).as("this PUBREL completes the broker's flow").isFalse();
    }

    @Test
    void a_retransmission_with_dup_is_forwarded_and_not_counted_twice_and_reuse_without_dup_is_refused() {
        flows.publishFromDevice(1, false);
        assertThat(flows.publishFromDevice(1, true)).isEqualTo(QosFlows.Start.FORWARD);
        assertThat(flows.inflight()).isEqualTo(1);
        assertThat(flows.publishFromDevice(1, false)).isEqualTo(QosFlows.Start.ID_IN_USE);
    }

    @Test
    void a_withheld_qos2_delivery_is_completed_with_the_broker_by_the_gateway() {
        flows.withheldFromDevice(9);
        assertThat(flows.pubrelOfWithheld(9)).isTrue();
        assertThat(flows.pubrelOfWithheld(9)).isFalse();
        flows.withheldFromDevice(10);
        flows.deliveredToDevice(10);
        assertThat(flows.pubrelOfWithheld(10)).as("a later delivery of id 10 reached the device").isFalse();
    }

    @Test
    void a_pubrel_of_a_resumed_session_that_this_connection_never_saw_goes_to_the_broker() {
        assertThat(flows.pubrelAnsweredByGateway(42)).isFalse();
        flows.pubCompFromBroker(42);
        assertThat(flows.inflight()).isZero();
    }
}
