package health.treatment.web.filter;

import static org.assertj.core.api.Assertions.assertThat;

import health.treatment.web.rest.AuditResource;
import health.treatment.web.rest.BatchResource;
import health.treatment.web.rest.TreatmentResource;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ApiRoutesTest {

    @Test
    void theTableHoldsExactlyTheResourcesRoutes() {
        Set<String> declared = new TreeSet<>();
        for (Class<?> resource : new Class<?>[] {TreatmentResource.class, BatchResource.class, AuditResource.class}) {
            for (Method m : resource.getMethods()) {
                if (Arrays.stream(m.getAnnotations()).anyMatch(a ->
                        a.annotationType().isAnnotationPresent(HttpMethod.class))) {
                    Path sub = m.getAnnotation(Path.class);
                    declared.add("/api" + resource.getAnnotation(Path.class).value() + (sub == null ? "" : sub.value()));
                }
            }
        }
        assertThat(declared).containsExactlyInAnyOrderElementsOf(ApiRoutes.TEMPLATES);
    }

    @Test
    void pathsMatchTheirTemplateAndNothingElseMatches() {
        assertThat(ApiRoutes.templateOf("/api/v1/treatments")).hasValue("/api/v1/treatments");
        assertThat(ApiRoutes.templateOf("/api/v1/treatments/")).hasValue("/api/v1/treatments");
        assertThat(ApiRoutes.templateOf("/api/v1/treatments/batch")).hasValue("/api/v1/treatments/batch");
        assertThat(ApiRoutes.templateOf("/api/v1/treatments/0190-abc")).hasValue("/api/v1/treatments/{id}");
        assertThat(ApiRoutes.templateOf("/api/v1/audit/verify")).hasValue("/api/v1/audit/verify");
        assertThat(ApiRoutes.templateOf("/api/v1/treatments/a/b")).isEmpty();
        assertThat(ApiRoutes.templateOf("/api/v1/audit")).isEmpty();
        assertThat(ApiRoutes.templateOf("/api/v2/treatments")).isEmpty();
        assertThat(ApiRoutes.templateOf(null)).isEmpty();
    }
}
