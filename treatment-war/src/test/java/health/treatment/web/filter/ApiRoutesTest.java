package health.treatment.web.filter;

import static org.assertj.core.api.Assertions.assertThat;

import health.treatment.web.rest.AuditResource;
import health.treatment.web.rest.BatchResource;
import health.treatment.web.rest.ChangeFeedResource;
import health.treatment.web.rest.ErasureResource;
import health.treatment.web.rest.SearchResource;
import health.treatment.web.rest.TreatmentResource;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ApiRoutesTest {

    static final Class<?>[] RESOURCES = {
        TreatmentResource.class,
        BatchResource.class,
        AuditResource.class,
        ErasureResource.class,
        SearchResource.class,
        ChangeFeedResource.class
    };

    /** Route template to the HTTP methods the resources declare on it. */
    static Map<String, Set<String>> declaredRoutes() {
        Map<String, Set<String>> declared = new TreeMap<>();
        for (Class<?> resource : RESOURCES) {
            for (Method m : resource.getMethods()) {
                for (Annotation a : m.getAnnotations()) {
                    HttpMethod method = a.annotationType().getAnnotation(HttpMethod.class);
                    if (method != null) {
                        Path sub = m.getAnnotation(Path.class);
                        String template =
                                "/api" + resource.getAnnotation(Path.class).value() + (sub == null ? "" : sub.value());
                        declared.computeIfAbsent(template, t -> new TreeSet<>()).add(method.value());
                    }
                }
            }
        }
        return declared;
    }

    @Test
    void theTableHoldsExactlyTheResourcesRoutesAndMethods() {
        Map<String, Set<String>> declared = declaredRoutes();
        assertThat(declared.keySet()).containsExactlyInAnyOrderElementsOf(ApiRoutes.TEMPLATES);
        for (ApiRoutes.Route route : ApiRoutes.ROUTES) {
            assertThat(route.methods()).as(route.template()).isEqualTo(declared.get(route.template()));
        }
    }

    @Test
    void requestsTheContainerAnsweredAreAuditedWithTheRoutesActionOrAsOther() {
        ApiRoutes.Route submit = ApiRoutes.route("/api/v1/treatments").orElseThrow();
        assertThat(submit.actionFor("POST")).isEqualTo("treatment.create");
        assertThat(submit.actionFor("GET")).isEqualTo("treatment.other");
        assertThat(ApiRoutes.route("/api/v1/patients/erasure").orElseThrow().actionFor("POST"))
                .isEqualTo("patient.erasure");
        assertThat(ApiRoutes.route("/api/v1/audit/verify").orElseThrow().actionFor("POST"))
                .isEqualTo("audit.verify");
        assertThat(ApiRoutes.route("unmatched")).isEmpty();
    }

    @Test
    void pathsMatchTheirTemplateAndNothingElseMatches() {
        assertThat(ApiRoutes.templateOf("/api/v1/treatments")).hasValue("/api/v1/treatments");
        assertThat(ApiRoutes.templateOf("/api/v1/treatments/")).hasValue("/api/v1/treatments");
        assertThat(ApiRoutes.templateOf("/api/v1/treatments/batch")).hasValue("/api/v1/treatments/batch");
        assertThat(ApiRoutes.templateOf("/api/v1/treatments/0190-abc")).hasValue("/api/v1/treatments/{id}");
        assertThat(ApiRoutes.templateOf("/api/v1/audit/verify")).hasValue("/api/v1/audit/verify");
        assertThat(ApiRoutes.templateOf("/api/v1/audit/checkpoints/latest"))
                .hasValue("/api/v1/audit/checkpoints/latest");
        assertThat(ApiRoutes.templateOf("/api/v1/audit/checkpoints")).hasValue("/api/v1/audit/checkpoints");
        assertThat(ApiRoutes.templateOf("/api/v1/treatments/a/b")).isEmpty();
        assertThat(ApiRoutes.templateOf("/api/v1/audit")).isEmpty();
        assertThat(ApiRoutes.templateOf("/api/v2/treatments")).isEmpty();
        assertThat(ApiRoutes.templateOf(null)).isEmpty();
    }
}
