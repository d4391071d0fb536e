package health.treatment.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.http.HttpResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The runtime OpenAPI document: what auditors read from a running server. */
@ExtendWith(ArquillianExtension.class)
class OpenApiIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war();
    }

    @Test
    void openApiEmbedsTheRecordSchemaTheProblemAndTheBearerSchemeForEveryPath() {
        HttpResponse<String> r = Https.send(Https.request("/openapi")
                .header("Accept", "application/json")
                .GET()
                .build());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonObject doc;
        try (JsonReader reader = Json.createReader(new StringReader(r.body()))) {
            doc = reader.readObject();
        }

        assertThat(doc.getJsonObject("paths"))
                .containsKeys(
                        "/api/v1/treatments",
                        "/api/v1/treatments/{id}",
                        "/api/v1/audit/events",
                        "/api/v1/audit/verify",
                        "/api/v1/audit/export",
                        "/api/v1/audit/checkpoints/latest",
                        "/api/v1/audit/checkpoints",
                        "/api/v1/audit/signing-keys",
                        "/api/v1/patients/erasure");
        assertThat(doc.getJsonObject("paths").getJsonObject("/api/v1/audit/verify"))
                .containsKeys("get", "post");
        assertThat(doc.getJsonObject("paths")
                        .getJsonObject("/api/v1/patients/erasure")
                        .getJsonObject("post")
                        .getJsonArray("x-roles")
                        .getString(0))
                .isEqualTo("privacy-officer");
        assertThat(doc.getJsonObject("paths")
                        .getJsonObject("/api/v1/treatments")
                        .getJsonObject("post")
                        .getJsonObject("responses"))
                .containsKeys("201", "200", "400", "401", "403", "409", "413", "415", "429", "500", "503");

        JsonObject components = doc.getJsonObject("components");
        JsonObject record = components.getJsonObject("schemas").getJsonObject("TreatmentRecord");
        assertThat(record.getBoolean("additionalProperties")).isFalse();
        assertThat(record.getJsonObject("properties")
                        .getJsonObject("machine_id")
                        .getString("pattern"))
                .isEqualTo("^[A-Za-z0-9_.\\-]+$");
        assertThat(components.getJsonObject("schemas").getJsonObject("Problem").getJsonObject("properties"))
                .containsKeys("type", "title", "status", "detail", "violations");
        assertThat(components
                        .getJsonObject("securitySchemes")
                        .getJsonObject("bearerJwt")
                        .getString("scheme"))
                .isEqualTo("bearer");
    }
}
