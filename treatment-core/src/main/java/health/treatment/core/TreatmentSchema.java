package health.treatment.core;

import health.treatment.core.internal.BatchItemSchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The published contract: the JSON Schema (Draft-07) every accepted document satisfies. */
public final class TreatmentSchema {

    /** The versioned {@code $id} of the schema. A breaking change gets a new version and a new id. */
    public static final String ID = "https://schemas.treatment.health/treatment-record/v1.json";

    /**
     * Class-path location of the schema inside this jar. Outside any package so that other modules can read it even
     * when this jar is a named JPMS module.
     */
    public static final String RESOURCE = "/schema/treatment-record-v1.schema.json";

    /** The {@code $id} of the batch item schema: a record plus an optional {@code idempotency_key} member. */
    public static final String BATCH_ITEM_ID = "https://schemas.treatment.health/treatment-batch-item/v1.json";

    private static final String JSON = load();
    private static final String BATCH_ITEM_JSON = BatchItemSchema.derive(JSON, BATCH_ITEM_ID);

    private TreatmentSchema() {}

    /** The schema text exactly as shipped in the jar. */
    public static String json() {
        return JSON;
    }

    /**
     * The schema of one item of a batch upload: {@link #json()} plus an optional {@code idempotency_key} member
     * (1-128 letters, digits or {@code - _ . :}), derived from it at class load.
     */
    public static String batchItemJson() {
        return BATCH_ITEM_JSON;
    }

    private static String load() {
        try (InputStream in = TreatmentSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new TreatmentCoreException("schema resource missing from the class path: " + RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TreatmentCoreException("schema resource unreadable: " + RESOURCE, e);
        }
    }
}
