package health.treatment.web.problem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MethodsTest {

    @Test
    void allowNamesTheMethodsTheTargetServes() {
        assertThat(Methods.allow("/api/v1/treatments")).isEqualTo("POST");
        assertThat(Methods.allow("/api/v1/treatments/abc")).isEqualTo("GET, HEAD");
        assertThat(Methods.allow("/api/v1/audit/verify")).isEqualTo("GET, HEAD, POST");
        assertThat(Methods.allow("/metrics")).isEqualTo("GET, HEAD");
    }

    @Test
    void allowIsEmptyForAPathThatServesNothing() {
        assertThat(Methods.allow("/")).isEmpty();
        assertThat(Methods.allow("/nope")).isEmpty();
        assertThat(Methods.allow(ProblemServlet.PATH)).isEmpty();
    }
}
