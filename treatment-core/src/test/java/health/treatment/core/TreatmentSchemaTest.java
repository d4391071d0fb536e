package health.treatment.core;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TreatmentSchemaTest {

    private static JsonObject schema() {
        return Json.createReader(new StringReader(TreatmentSchema.json())).readObject();
    }

    @Test
    void isDraft07WithTheVersionedId() {
        JsonObject s = schema();

        assertThat(s.getString("$id")).isEqualTo(TreatmentSchema.ID);
        assertThat(s.getString("$schema")).isEqualTo("http://json-schema.org/draft-07/schema#");
    }

    @Test
    void isReadableAsAResourceOutsideAnyPackage() throws Exception {
        try (InputStream in = TreatmentSchema.class.getResourceAsStream("/schema/treatment-record-v1.schema.json")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(TreatmentSchema.json());
        }
    }

    @Test
    void boundsEveryObjectStringArrayAndNumberAndDocumentsEveryField() {
        List<String> problems = new ArrayList<>();
        walk("", schema(), problems);

        assertThat(problems).isEmpty();
    }

    private static void walk(String path, JsonObject node, List<String> problems) {
        String type = node.containsKey("type") ? node.getString("type") : "";
        switch (type) {
            case "object":
                if (node.get("additionalProperties") != JsonValue.FALSE) {
                    problems.add(path + ": additionalProperties is not false");
                }
                for (Map.Entry<String, JsonValue> p :
                        node.getJsonObject("properties").entrySet()) {
                    JsonObject child = p.getValue().asJsonObject();
                    if (!(child.get("description") instanceof JsonString)) {
                        problems.add(path + "/" + p.getKey() + ": no description");
                    }
                    walk(path + "/" + p.getKey(), child, problems);
                }
                break;
            case "string":
                if (!node.containsKey("maxLength")) {
                    problems.add(path + ": string without maxLength");
                }
                if (!node.containsKey("pattern") && !node.containsKey("format")) {
                    problems.add(path + ": string without pattern or format");
                }
                break;
            case "array":
                if (!node.containsKey("maxItems")) {
                    problems.add(path + ": array without maxItems");
                }
                walk(path + "/items", node.getJsonObject("items"), problems);
                break;
            case "number":
            case "integer":
                if (!node.containsKey("minimum") || !node.containsKey("maximum")) {
                    problems.add(path + ": number without minimum and maximum");
                }
                break;
            default:
                problems.add(path + ": no type");
        }
    }
}
