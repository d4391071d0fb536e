package health.treatment.core;

import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;

/**
 * The canonical JSON of {@link TreatmentRecord#toJson()}, written with a JSON-P generator: fixed member order,
 * absent optionals omitted, numbers exactly as submitted, date-times in RFC 3339 with their original offset.
 */
final class CanonicalJson {

    /** Created once: {@code Json.createGenerator} would look the provider up on every call. */
    private static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());

    private CanonicalJson() {}

    static String write(TreatmentRecord r) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = GENERATORS.createGenerator(out)) {
            g.writeStartObject();
            r.patientId().ifPresent(v -> g.write("patient_id", v));
            r.encounterId().ifPresent(v -> g.write("encounter_id", v));
            g.write("machine_id", r.machineId());
            r.technicianId().ifPresent(v -> g.write("technician_id", v));
            g.write("treatment_start", dateTime(r.treatmentStart()));
            r.treatmentEnd().ifPresent(v -> g.write("treatment_end", dateTime(v)));
            r.sessionDuration().ifPresent(v -> g.write("session_duration", v.toMinutes()));
            MachineSettings s = r.settings();
            number(g, "uf_volume", s.ufVolume());
            number(g, "uf_rate", s.ufRate());
            number(g, "conductivity", s.conductivity());
            number(g, "blood_flow", s.bloodFlow());
            number(g, "dialysate_flow", s.dialysateFlow());
            number(g, "dialysate_temperature", s.dialysateTemperature());
            number(g, "arterial_pressure", s.arterialPressure());
            number(g, "venous_pressure", s.venousPressure());
            if (!r.alarms().isEmpty()) {
                g.writeStartArray("alarms");
                r.alarms().forEach(g::write);
                g.writeEnd();
            }
            r.notes().ifPresent(v -> g.write("notes", v));
            if (!r.observations().isEmpty()) {
                g.writeStartArray("observations");
                for (Observation o : r.observations()) {
                    g.writeStartObject()
                            .write("system", o.system())
                            .write("code", o.code())
                            .write("value", o.value())
                            .write("unit", o.unit())
                            .write("time", dateTime(o.time()))
                            .writeEnd();
                }
                g.writeEnd();
            }
            g.writeEnd();
        }
        return out.toString();
    }

    /** RFC 3339; ISO_OFFSET_DATE_TIME always prints seconds and prints Z for a zero offset. */
    private static String dateTime(OffsetDateTime t) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
    }

    private static void number(JsonGenerator g, String name, Optional<BigDecimal> value) {
        // The generator writes BigDecimal.toString() (possibly with an exponent), which parses back to an equal value.
        value.ifPresent(v -> g.write(name, v));
    }
}
