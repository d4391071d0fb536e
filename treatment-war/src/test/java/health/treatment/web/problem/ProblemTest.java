package health.treatment.web.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemTest {

    @Test
    void rendersTheRfc9457Members() {
        JsonObject json = Problem.of(ProblemKind.NOT_FOUND).toJson();
        assertThat(json.getString("type")).isEqualTo("https://treatment.local/problems/not-found");
        assertThat(json.getString("title")).isEqualTo("Not found");
        assertThat(json.getInt("status")).isEqualTo(404);
        assertThat(json.getString("detail")).isNotBlank();
        assertThat(json.containsKey("violations")).isFalse();
    }

    @Test
    void rendersViolationsAsPointerAndCode() {
        Problem p = Problem.of(ProblemKind.VALIDATION)
                .withViolations(List.of(new Problem.Violation("/machine_id", "pattern")));
        JsonObject v = p.toJson().getJsonArray("violations").getJsonObject(0);
        assertThat(v.getString("pointer")).isEqualTo("/machine_id");
        assertThat(v.getString("code")).isEqualTo("pattern");
    }

    @Test
    void refusesNonErrorStatuses() {
        assertThatThrownBy(() -> new Problem("t", "x", 200, "d", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mapsBareStatusesOntoTheVocabulary() {
        assertThat(ProblemKind.forStatus(405)).isEqualTo(ProblemKind.METHOD_NOT_ALLOWED);
        assertThat(ProblemKind.forStatus(400)).isEqualTo(ProblemKind.BAD_REQUEST);
        assertThat(ProblemKind.forStatus(418)).isEqualTo(ProblemKind.BAD_REQUEST);
        assertThat(ProblemKind.forStatus(502)).isEqualTo(ProblemKind.INTERNAL);
        assertThat(Problem.forStatus(503).status()).isEqualTo(503);
    }

    @Test
    void classifiesWrappedLimitAndParserFailures() {
        Exception tooLarge = new RuntimeException(new IllegalStateException(new RequestBodyTooLargeException()));
        assertThat(Failures.classify(tooLarge)).isEqualTo(ProblemKind.PAYLOAD_TOO_LARGE);
        Exception parse = new RuntimeException(new jakarta.json.JsonException("x"));
        assertThat(Failures.classify(parse)).isEqualTo(ProblemKind.MALFORMED_JSON);
        assertThat(Failures.classify(new IllegalStateException("boom"))).isNull();
        assertThat(Failures.classify(new ProblemException(ProblemKind.CONFLICT, null)))
                .isEqualTo(ProblemKind.CONFLICT);
    }
}
