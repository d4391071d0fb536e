package health.treatment.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AuditFieldsTest {

    private static final List<AuditFields.Rule> RULES = List.of(
            AuditFields.CLIENT_ID,
            AuditFields.ROLE,
            AuditFields.TOKEN_ID,
            AuditFields.THUMBPRINT,
            AuditFields.ACTION,
            AuditFields.RESOURCE_TYPE,
            AuditFields.RECORD_ID,
            AuditFields.REASON_CODE,
            AuditFields.SOURCE_IP,
            AuditFields.NODE_ID,
            AuditFields.REQUEST_ID);

    /** Characters near every class boundary, separators, markup, non-ASCII look-alikes. */
    private static final String ALPHABET = "aAzZ09_-.:@=/ <>\"'\\\u00e9\u0430\u212a\u0000\t19fFgG";

    @Test
    void eachCharLoopAcceptsExactlyTheLanguageOfItsRegex() {
        Random random = new Random(42);
        for (AuditFields.Rule rule : RULES) {
            for (int i = 0; i < 20_000; i++) {
                int length = random.nextInt(i % 10 == 0 ? 140 : 20);
                StringBuilder s = new StringBuilder();
                for (int j = 0; j < length; j++) {
                    s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                }
                String candidate = s.toString();
                assertThat(rule.matches(candidate))
                        .as(rule.pattern() + " on [" + candidate + "]")
                        .isEqualTo(rule.pattern().matcher(candidate).matches());
            }
        }
    }

    @Test
    void theRegexesAreThePublishedOnes() {
        assertThat(AuditFields.CLIENT_ID.pattern().pattern()).isEqualTo("[A-Za-z0-9_.@:-]{1,128}");
        assertThat(AuditFields.ROLE.pattern().pattern()).isEqualTo("[a-z][a-z0-9_-]{0,31}");
        assertThat(AuditFields.ACTION.pattern().pattern()).isEqualTo("[a-z][a-z0-9_.-]{0,63}");
        assertThat(AuditFields.THUMBPRINT.pattern().pattern()).isEqualTo("[A-Za-z0-9_=-]{16,128}");
        assertThat(AuditFields.SOURCE_IP.pattern().pattern()).isEqualTo("[0-9A-Fa-f:.]{2,45}");
    }

    @Test
    void outsideValuesThatDoNotFitAreLeftOutOrHashed() {
        assertThat(AuditFields.clientId("DX2020")).isEqualTo("DX2020");
        assertThat(AuditFields.clientId("Jane Doe <x>")).startsWith("sha256:").hasSize(50);
        assertThat(AuditFields.clientId("Jane Doe <x>")).isEqualTo(AuditFields.clientId("Jane Doe <x>"));
        assertThat(AuditFields.sourceIp("127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(AuditFields.sourceIp("evil\nline")).isNull();
        assertThat(AuditFields.requestId("bad id")).isNull();
        assertThat(AuditFields.roles(List.of("device", "Bad Role", "auditor"))).containsExactly("device", "auditor");
    }

    @Test
    void publishedPatternsAreTheRulesTheEventChecks() {
        assertThat(AuditFields.pattern("client_id")).isEqualTo("^[A-Za-z0-9_.@:-]{1,128}$");
        assertThat(AuditFields.pattern("roles")).isEqualTo("^[a-z][a-z0-9_-]{0,31}$");
        assertThat(AuditFields.pattern("action")).isEqualTo("^[a-z][a-z0-9_.-]{0,63}$");
        assertThat(AuditFields.pattern("reason_code")).isEqualTo("^[a-z0-9_.-]{1,64}$");
        for (String field : List.of(
                "client_id",
                "roles",
                "token_id",
                "certificate_thumbprint",
                "action",
                "resource_type",
                "record_id",
                "reason_code",
                "source_ip",
                "node_id",
                "request_id")) {
            Pattern p = Pattern.compile(AuditFields.pattern(field));
            assertThat(p.matcher("a1").matches() || field.equals("certificate_thumbprint"))
                    .as(field)
                    .isTrue();
        }
        assertThatThrownBy(() -> AuditFields.pattern("time")).isInstanceOf(IllegalArgumentException.class);
    }
}
