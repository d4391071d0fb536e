package health.treatment.web.it.security;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The deployment under test: the packaged WAR exactly as it ships (the suite's other ITs deploy the same). */
final class SecurityDeployment {

    private SecurityDeployment() {}

    static WebArchive war() {
        File war = new File(System.getProperty("it.war", "target/treatment.war"));
        return ShrinkWrap.create(ZipImporter.class, "treatment.war")
                .importFrom(war)
                .as(WebArchive.class);
    }

    /** The article example of a treatment record, for {@code machine} and {@code patient}. */
    static String record(String patient, String machine) {
        return ("{\"patient_id\": \"%s\", \"treatment_start\": \"2025-03-28T08:00:00Z\", "
                        + "\"treatment_end\": \"2025-03-28T10:00:00Z\", \"uf_volume\": 2.4, \"conductivity\": 13.5, "
                        + "\"machine_id\": \"%s\", \"alarms\": [\"A12\", \"B03\"]}")
                .formatted(patient, machine);
    }

    /** A name no other test uses, so rate limits and searches of other tests do not interfere. */
    static String unique(String prefix) {
        return prefix + Long.toString(System.nanoTime() % 1_000_000_000L, 36).toUpperCase();
    }
}
