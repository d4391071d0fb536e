package health.treatment.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.treatment.audit.testing.Events;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditEventTest {

    private static AuditEvent.Builder valid() {
        return AuditEvent.builder()
                .time(Instant.parse("2026-01-01T00:00:00.123456789Z"))
                .action("treatment.read")
                .outcome(Outcome.SUCCESS)
                .httpStatus(200)
                .nodeId("node-a");
    }

    @Test
    void freeTextInACodeFieldIsRejectedWithoutEchoingIt() {
        assertThatThrownBy(() -> valid().reasonCode("patient 123456 complained").build())
                .isInstanceOf(AuditException.class)
                .hasMessage("audit event: reason_code must match [a-z0-9_.-]{1,64}")
                .hasMessageNotContaining("123456");
    }

    @Test
    void everyRestrictedFieldRejectsSpacesQuotesAndMarkup() {
        String bad = "<b>Jane \"Doe\"</b>";
        List<java.util.function.Function<AuditEvent.Builder, AuditEvent.Builder>> setters = List.of(
                b -> b.clientId(bad),
                b -> b.tokenId(bad),
                b -> b.certificateThumbprint(bad),
                b -> b.action(bad),
                b -> b.resourceType(bad),
                b -> b.recordId(bad),
                b -> b.reasonCode(bad),
                b -> b.sourceIp(bad),
                b -> b.nodeId(bad),
                b -> b.requestId(bad),
                b -> b.roles(List.of(bad)));
        for (var setter : setters) {
            assertThatThrownBy(() -> setter.apply(valid()).build())
                    .isInstanceOf(AuditException.class)
                    .hasMessageNotContaining("Jane");
        }
    }

    @Test
    void overlongValuesAreRejected() {
        assertThatThrownBy(() -> valid().reasonCode("a".repeat(65)).build()).isInstanceOf(AuditException.class);
        assertThatThrownBy(() -> valid().recordId("a".repeat(65)).build()).isInstanceOf(AuditException.class);
    }

    @Test
    void requiredFieldsAndStatusRangeAreEnforced() {
        assertThatThrownBy(() -> valid().time(null).build()).hasMessage("audit event: time is required");
        assertThatThrownBy(() -> valid().action(null).build()).hasMessage("audit event: action is required");
        assertThatThrownBy(() -> valid().outcome(null).build()).hasMessage("audit event: outcome is required");
        assertThatThrownBy(() -> valid().nodeId(null).build()).hasMessage("audit event: node_id is required");
        assertThatThrownBy(() -> valid().httpStatus(700).build()).isInstanceOf(AuditException.class);
    }

    @Test
    void timeIsTruncatedToMicrosecondsAndRolesAreSortedAndUnique() {
        AuditEvent e = valid().roles(List.of("gateway", "device", "gateway")).build();
        assertThat(e.time()).isEqualTo(Instant.parse("2026-01-01T00:00:00.123456Z"));
        assertThat(e.roles()).containsExactly("device", "gateway");
    }

    @Test
    void jsonCarriesOnlyTheMetadataFields() {
        String json = Events.create(3).toJson();
        assertThat(json)
                .isEqualTo("{\"time\":\"2026-01-01T00:00:03Z\",\"client_id\":\"DX2003\",\"roles\":[\"device\"],"
                        + "\"token_id\":\"jti-3\",\"action\":\"treatment.create\",\"resource_type\":\"Treatment\","
                        + "\"record_id\":\"rec-3\",\"outcome\":\"success\",\"http_status\":201,\"source_ip\":\"10.0.0.3\","
                        + "\"node_id\":\"node-a\",\"request_id\":\"req-3\"}");
    }

    @Test
    void fhirAuditEventUsesBalpCodesForACreate() {
        String fhir = Events.create(3).toFhirAuditEvent();
        assertThat(fhir)
                .startsWith("{\"resourceType\":\"AuditEvent\"")
                .contains(
                        "\"code\":\"rest\"",
                        "\"system\":\"http://hl7.org/fhir/restful-interaction\",\"code\":\"create\"",
                        "\"action\":\"C\"",
                        "\"outcome\":\"0\"",
                        "\"recorded\":\"2026-01-01T00:00:03Z\"",
                        "\"who\":{\"identifier\":{\"value\":\"DX2003\"}}",
                        "\"address\":\"10.0.0.3\"",
                        "\"reference\":\"Treatment/rec-3\"",
                        "\"site\":\"node-a\"");
    }

    @Test
    void fhirAuditEventForAnAuthenticationFailureIsAMinorFailureOfTypeUserAuthentication() {
        String fhir = AuditEvent.builder()
                .time(Instant.EPOCH)
                .action("auth.failure")
                .outcome(Outcome.UNAUTHENTICATED)
                .httpStatus(401)
                .reasonCode("token_expired")
                .nodeId("n1")
                .sourceIp("2001:db8::1")
                .build()
                .toFhirAuditEvent();
        assertThat(fhir)
                .contains(
                        "\"code\":\"110114\"",
                        "\"action\":\"E\"",
                        "\"outcome\":\"4\"",
                        "\"outcomeDesc\":\"token_expired\"",
                        "\"value\":\"anonymous\"");
        assertThat(AuditEvent.builder()
                        .time(Instant.EPOCH)
                        .action("treatment.read")
                        .outcome(Outcome.SERVER_ERROR)
                        .nodeId("n1")
                        .build()
                        .toFhirAuditEvent())
                .contains("\"action\":\"R\"", "\"outcome\":\"8\"");
    }
}
