package health.treatment.core;

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

  private static final String JSON = load();

  private TreatmentSchema() {
  }

  /** The schema text exactly as shipped in the jar. */
  public static String json() {
    return JSON;
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
