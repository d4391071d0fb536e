package health.treatment.core.internal;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import java.io.StringReader;

/**
 * Derives the schema of one batch item from the record schema: the same record, plus an optional
 * {@code idempotency_key} member (the same alphabet as the {@code Idempotency-Key} header). Derived rather than copied,
 * so the two can never drift apart.
 */
public final class BatchItemSchema {

    /** The member a batch item may carry on top of the record. */
    public static final String IDEMPOTENCY_KEY = "idempotency_key";

    private BatchItemSchema() {}

    /** The batch item schema for {@code recordSchema}, with the given {@code $id}. */
    public static String derive(String recordSchema, String id) {
        JsonObject record;
        try (JsonReader reader = Json.createReader(new StringReader(recordSchema))) {
            record = reader.readObject();
        }
        JsonObjectBuilder properties = Json.createObjectBuilder(record.getJsonObject("properties"))
                .add(
                        IDEMPOTENCY_KEY,
                        Json.createObjectBuilder()
                                .add("type", "string")
                                .add("minLength", 1)
                                .add("maxLength", 128)
                                .add(
                                        "description",
                                        "Optional client token that makes this item idempotent, scoped to the authenticated "
                                                + "client like the Idempotency-Key header: 1-128 letters, digits or - _ . :")
                                // Last keyword of its subschema: the validation engine evaluates patterns itself (see
                                // ValidationSchema).
                                .add("pattern", "^[A-Za-z0-9_.:\\-]+$"));
        return Json.createObjectBuilder(record)
                .add("$id", id)
                .add("title", record.getString("title", "Treatment record") + " (batch item)")
                .add("properties", properties)
                .build()
                .toString();
    }
}
