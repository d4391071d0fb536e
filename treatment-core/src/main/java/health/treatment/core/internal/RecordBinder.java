package health.treatment.core.internal;

import health.treatment.core.MachineSettings;
import health.treatment.core.Observation;
import health.treatment.core.TreatmentRecord;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Binds a tree that passed the schema and the cross-field rules; the casts are safe because of that. */
final class RecordBinder {

    private RecordBinder() {}

    static TreatmentRecord bind(Map<String, Object> root, CrossFieldRules.Dates dates) {
        MachineSettings settings = new MachineSettings(
                number(root, "uf_volume"),
                number(root, "uf_rate"),
                number(root, "conductivity"),
                number(root, "blood_flow"),
                number(root, "dialysate_flow"),
                number(root, "dialysate_temperature"),
                number(root, "arterial_pressure"),
                number(root, "venous_pressure"));
        Optional<Duration> duration = number(root, "session_duration").map(m -> Duration.ofMinutes(m.longValueExact()));
        List<String> alarms = new ArrayList<>();
        Object alarmValues = root.get("alarms");
        if (alarmValues instanceof List) {
            for (Object a : (List<?>) alarmValues) {
                alarms.add((String) a);
            }
        }
        List<Observation> observations = new ArrayList<>();
        Object obsValues = root.get("observations");
        if (obsValues instanceof List) {
            List<?> items = (List<?>) obsValues;
            for (int i = 0; i < items.size(); i++) {
                Map<?, ?> o = (Map<?, ?>) items.get(i);
                observations.add(new Observation(
                        (String) o.get("system"),
                        (String) o.get("code"),
                        (BigDecimal) o.get("value"),
                        (String) o.get("unit"),
                        dates.get("/observations/" + i + "/time")));
            }
        }
        return new TreatmentRecord(
                (String) root.get("machine_id"),
                string(root, "patient_id"),
                string(root, "encounter_id"),
                dates.get("/treatment_start"),
                Optional.ofNullable(dates.get("/treatment_end")),
                duration,
                string(root, "technician_id"),
                settings,
                alarms,
                string(root, "notes"),
                observations);
    }

    private static Optional<String> string(Map<String, Object> root, String name) {
        return Optional.ofNullable((String) root.get(name));
    }

    private static Optional<BigDecimal> number(Map<String, Object> root, String name) {
        return Optional.ofNullable((BigDecimal) root.get(name));
    }
}
