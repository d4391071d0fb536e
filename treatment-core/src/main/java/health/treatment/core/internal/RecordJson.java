package health.treatment.core.internal;

import health.treatment.core.MachineSettings;
import health.treatment.core.Observation;
import health.treatment.core.TreatmentRecord;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/** Canonical JSON for {@link TreatmentRecord#toJson()}: fixed member order, absent optionals omitted. */
public final class RecordJson {

  private RecordJson() {
  }

  public static String write(TreatmentRecord r) {
    StringBuilder sb = new StringBuilder(256);
    sb.append('{');
    Members m = new Members(sb);
    r.patientId().ifPresent(v -> m.string("patient_id", v));
    r.encounterId().ifPresent(v -> m.string("encounter_id", v));
    m.string("machine_id", r.machineId());
    r.technicianId().ifPresent(v -> m.string("technician_id", v));
    m.string("treatment_start", dateTime(r.treatmentStart()));
    r.treatmentEnd().ifPresent(v -> m.string("treatment_end", dateTime(v)));
    r.sessionDuration().ifPresent(v -> m.raw("session_duration", Long.toString(v.toMinutes())));
    MachineSettings s = r.settings();
    number(m, "uf_volume", s.ufVolume());
    number(m, "uf_rate", s.ufRate());
    number(m, "conductivity", s.conductivity());
    number(m, "blood_flow", s.bloodFlow());
    number(m, "dialysate_flow", s.dialysateFlow());
    number(m, "dialysate_temperature", s.dialysateTemperature());
    number(m, "arterial_pressure", s.arterialPressure());
    number(m, "venous_pressure", s.venousPressure());
    if (!r.alarms().isEmpty()) {
      m.name("alarms");
      stringArray(sb, r.alarms());
    }
    r.notes().ifPresent(v -> m.string("notes", v));
    if (!r.observations().isEmpty()) {
      m.name("observations");
      sb.append('[');
      boolean first = true;
      for (Observation o : r.observations()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        sb.append('{');
        Members om = new Members(sb);
        om.string("system", o.system());
        om.string("code", o.code());
        om.raw("value", o.value().toString());
        om.string("unit", o.unit());
        om.string("time", dateTime(o.time()));
        sb.append('}');
      }
      sb.append(']');
    }
    sb.append('}');
    return sb.toString();
  }

  /** RFC 3339; ISO_OFFSET_DATE_TIME always prints seconds and prints Z for a zero offset. */
  private static String dateTime(OffsetDateTime t) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
  }

  private static void number(Members m, String name, Optional<BigDecimal> value) {
    // BigDecimal.toString() is valid JSON (possibly with an exponent) and parses back to an equal BigDecimal.
    value.ifPresent(v -> m.raw(name, v.toString()));
  }

  private static void stringArray(StringBuilder sb, List<String> values) {
    sb.append('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      JsonText.quote(sb, values.get(i));
    }
    sb.append(']');
  }

  private static final class Members {
    private final StringBuilder sb;
    private boolean first = true;

    Members(StringBuilder sb) {
      this.sb = sb;
    }

    void name(String name) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      JsonText.quote(sb, name);
      sb.append(':');
    }

    void string(String name, String value) {
      name(name);
      JsonText.quote(sb, value);
    }

    void raw(String name, String json) {
      name(name);
      sb.append(json);
    }
  }
}
