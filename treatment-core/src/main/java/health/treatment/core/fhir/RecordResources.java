package health.treatment.core.fhir;

import health.treatment.core.Observation;
import health.treatment.core.TreatmentRecord;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The FHIR R4 resources of one stored record: a Procedure for the session, a Device for the machine, an Observation
 * per machine setting, for the session duration, per coded reading and per alarm. Every id is a name-based UUID of
 * the record id and the resource's role in the record (the Device's of the machine id), so a record maps to the same
 * resources every time. Immutable and thread-safe.
 */
final class RecordResources {

    /** One bundle entry: its {@code fullUrl}, the resource, and whether a search matched it (the Procedure). */
    record Entry(String fullUrl, JsonObject resource, boolean match) {
        public Entry {
            Objects.requireNonNull(fullUrl, "fullUrl");
            Objects.requireNonNull(resource, "resource");
        }
    }

    /** Namespace of our name-based UUIDs; fixed forever: changing it changes every FHIR id we ever published. */
    private static final UUID NAMESPACE = UUID.fromString("dad8b801-af37-477e-a8b4-627ee7b54cd6");

    static final JsonBuilderFactory JSON = JsonProvider.provider().createBuilderFactory(Map.of());

    private final FhirOptions options;

    RecordResources(FhirOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** The resources in bundle order: Procedure, Device, settings, duration, readings, alarms. */
    List<Entry> map(StoredRecord stored) {
        TreatmentRecord record = stored.record();
        String name = "record/" + stored.recordId() + "/";
        Session session = new Session(
                uuid(name + "procedure"),
                deviceId(record.machineId()),
                subject(record),
                record.encounterId().map(id -> logical("Encounter", options.encounterIdentifierSystem(), id)),
                period(record),
                dateTime(stored.receivedAt()));

        List<Entry> entries = new ArrayList<>();
        entries.add(new Entry(urn(session.procedureId), procedure(stored, session), true));
        entries.add(new Entry(urn(session.deviceId), device(record.machineId(), session.deviceId), false));
        for (Setting setting : Setting.values()) {
            setting.valueIn(record.settings()).ifPresent(value -> {
                String id = uuid(name + "setting/" + setting.code);
                JsonObjectBuilder code = codeable(localCoding(setting.code, setting.display), setting.display);
                setting.standard.ifPresent(s -> code.add(
                        "coding",
                        JSON.createArrayBuilder()
                                .add(localCoding(setting.code, setting.display))
                                .add(coding(s.system(), s.code(), s.display()))));
                entries.add(new Entry(
                        urn(id),
                        observation(id, session, Codes.OBSERVATION_CATEGORY_PROCEDURE, code)
                                .add("effectivePeriod", session.period)
                                .add("issued", session.issued)
                                .add("valueQuantity", quantity(value, setting.unit, setting.ucum))
                                .add("device", reference("Device", session.deviceId))
                                .build(),
                        false));
            });
        }
        record.sessionDuration().ifPresent(duration -> {
            String id = uuid(name + "session-duration");
            entries.add(new Entry(
                    urn(id),
                    observation(
                                    id,
                                    session,
                                    Codes.OBSERVATION_CATEGORY_PROCEDURE,
                                    codeable(
                                            localCoding(Codes.SESSION_DURATION, Codes.SESSION_DURATION_DISPLAY),
                                            Codes.SESSION_DURATION_DISPLAY))
                            .add("effectivePeriod", session.period)
                            .add("issued", session.issued)
                            .add("valueQuantity", quantity(BigDecimal.valueOf(duration.toMinutes()), "min", "min"))
                            .add("device", reference("Device", session.deviceId))
                            .build(),
                    false));
        });
        List<Observation> readings = record.observations();
        for (int i = 0; i < readings.size(); i++) {
            Observation reading = readings.get(i);
            String id = uuid(name + "observation/" + i);
            String system = Codes.fhirSystem(reading.system());
            boolean vitalSign = Codes.LOINC.equals(system) && Codes.VITAL_SIGNS.contains(reading.code());
            JsonObjectBuilder code = JSON.createObjectBuilder()
                    .add(
                            "coding",
                            JSON.createArrayBuilder()
                                    .add(JSON.createObjectBuilder()
                                            .add("system", system)
                                            .add("code", reading.code())));
            entries.add(new Entry(
                    urn(id),
                    observation(
                                    id,
                                    session,
                                    vitalSign
                                            ? Codes.OBSERVATION_CATEGORY_VITAL_SIGNS
                                            : Codes.OBSERVATION_CATEGORY_PROCEDURE,
                                    code)
                            .add("effectiveDateTime", dateTime(reading.time()))
                            .add("issued", session.issued)
                            .add("valueQuantity", quantity(reading.value(), reading.unit(), reading.unit()))
                            .add("device", reference("Device", session.deviceId))
                            .build(),
                    false));
        }
        List<String> alarms = record.alarms();
        for (int i = 0; i < alarms.size(); i++) {
            // By position: the same code may be raised twice in a session, and each raise is an observation of its own.
            String id = uuid(name + "alarm/" + i);
            entries.add(new Entry(
                    urn(id),
                    observation(
                                    id,
                                    session,
                                    Codes.OBSERVATION_CATEGORY_PROCEDURE,
                                    codeable(
                                            localCoding(Codes.DEVICE_ALARM, Codes.DEVICE_ALARM_DISPLAY),
                                            Codes.DEVICE_ALARM_DISPLAY))
                            .add("effectivePeriod", session.period)
                            .add("issued", session.issued)
                            .add("valueString", alarms.get(i))
                            .add("device", reference("Device", session.deviceId))
                            .build(),
                    false));
        }
        return entries;
    }

    /** The Device's id: one per machine, so that every record of a machine points at the same Device. */
    static String deviceId(String machineId) {
        return uuid("machine/" + machineId);
    }

    private record Session(
            String procedureId,
            String deviceId,
            JsonObject subject,
            Optional<JsonObject> encounter,
            JsonObject period,
            String issued) {}

    private JsonObject procedure(StoredRecord stored, Session session) {
        TreatmentRecord record = stored.record();
        boolean dialysis = Arrays.stream(Setting.values())
                .anyMatch(s -> s.valueIn(record.settings()).isPresent());
        JsonObjectBuilder procedure = JSON.createObjectBuilder()
                .add("resourceType", "Procedure")
                .add("id", session.procedureId)
                .add(
                        "identifier",
                        JSON.createArrayBuilder()
                                .add(identifier(FhirR4.RESOURCE_IDENTIFIER_SYSTEM, session.procedureId))
                                .add(identifier(FhirR4.RECORD_IDENTIFIER_SYSTEM, stored.recordId())))
                // An end (or a duration) says the session is over; without either the device did not tell us.
                .add(
                        "status",
                        record.treatmentEnd().isPresent()
                                        || record.sessionDuration().isPresent()
                                ? "completed"
                                : "unknown")
                .add(
                        "code",
                        dialysis
                                ? codeable(
                                        coding(Codes.SNOMED_CT, Codes.HEMODIALYSIS, Codes.HEMODIALYSIS_DISPLAY),
                                        Codes.HEMODIALYSIS_DISPLAY)
                                : codeable(
                                        localCoding(Codes.DEVICE_SESSION, Codes.DEVICE_SESSION_DISPLAY),
                                        Codes.DEVICE_SESSION_DISPLAY))
                .add("subject", session.subject);
        session.encounter.ifPresent(e -> procedure.add("encounter", e));
        procedure.add("performedPeriod", session.period);
        record.technicianId()
                .ifPresent(technician -> procedure.add(
                        "performer",
                        JSON.createArrayBuilder()
                                .add(JSON.createObjectBuilder()
                                        .add(
                                                "actor",
                                                logical(
                                                        "Practitioner",
                                                        options.practitionerIdentifierSystem(),
                                                        technician)))));
        procedure.add("usedReference", JSON.createArrayBuilder().add(reference("Device", session.deviceId)));
        record.notes()
                .ifPresent(notes -> procedure.add(
                        "note",
                        JSON.createArrayBuilder().add(JSON.createObjectBuilder().add("text", notes))));
        return procedure.build();
    }

    private static JsonObject device(String machineId, String deviceId) {
        return JSON.createObjectBuilder()
                .add("resourceType", "Device")
                .add("id", deviceId)
                .add(
                        "identifier",
                        JSON.createArrayBuilder().add(identifier(FhirR4.MACHINE_IDENTIFIER_SYSTEM, machineId)))
                .build();
    }

    /** The parts every Observation of a session shares, in FHIR's element order, up to {@code effective[x]}. */
    private static JsonObjectBuilder observation(String id, Session session, String category, JsonObjectBuilder code) {
        JsonObjectBuilder observation = JSON.createObjectBuilder()
                .add("resourceType", "Observation")
                .add("id", id)
                .add("identifier", JSON.createArrayBuilder().add(identifier(FhirR4.RESOURCE_IDENTIFIER_SYSTEM, id)))
                .add("partOf", JSON.createArrayBuilder().add(reference("Procedure", session.procedureId)))
                .add("status", "final")
                .add(
                        "category",
                        JSON.createArrayBuilder()
                                .add(codeable(
                                        coding(Codes.OBSERVATION_CATEGORY, category, Codes.categoryDisplay(category)),
                                        null)))
                .add("code", code)
                .add("subject", session.subject);
        session.encounter.ifPresent(e -> observation.add("encounter", e));
        return observation;
    }

    /**
     * The patient by identifier (the EHR owns the Patient resource). A record may name only its encounter: then the
     * patient is the encounter's, and the subject says it is unknown here (Procedure.subject is mandatory).
     */
    private JsonObject subject(TreatmentRecord record) {
        if (record.patientId().isPresent()) {
            return logical(
                    "Patient",
                    options.patientIdentifierSystem(),
                    record.patientId().get());
        }
        return JSON.createObjectBuilder()
                .add(
                        "extension",
                        JSON.createArrayBuilder()
                                .add(JSON.createObjectBuilder()
                                        .add("url", Codes.DATA_ABSENT_REASON)
                                        .add("valueCode", "unknown")))
                .add("type", "Patient")
                .add("display", "The patient of the encounter")
                .build();
    }

    private static JsonObject period(TreatmentRecord record) {
        JsonObjectBuilder period = JSON.createObjectBuilder().add("start", dateTime(record.treatmentStart()));
        Optional<OffsetDateTime> end = record.treatmentEnd()
                .or(() -> record.sessionDuration()
                        .map(d -> record.treatmentStart().plus(d)));
        end.ifPresent(e -> period.add("end", dateTime(e)));
        return period.build();
    }

    private static JsonObject logical(String type, String system, String value) {
        return JSON.createObjectBuilder()
                .add("type", type)
                .add("identifier", identifier(system, value))
                .build();
    }

    private static JsonObjectBuilder reference(String type, String id) {
        return JSON.createObjectBuilder().add("reference", urn(id)).add("type", type);
    }

    private static JsonObjectBuilder identifier(String system, String value) {
        return JSON.createObjectBuilder().add("system", system).add("value", value);
    }

    private static JsonObjectBuilder localCoding(String code, String display) {
        return coding(FhirR4.SETTING_CODE_SYSTEM, code, display);
    }

    private static JsonObjectBuilder coding(String system, String code, String display) {
        return JSON.createObjectBuilder()
                .add("system", system)
                .add("code", code)
                .add("display", display);
    }

    private static JsonObjectBuilder codeable(JsonObjectBuilder coding, String text) {
        JsonObjectBuilder codeable = JSON.createObjectBuilder()
                .add("coding", JSON.createArrayBuilder().add(coding));
        if (text != null) {
            codeable.add("text", text);
        }
        return codeable;
    }

    private static JsonObjectBuilder quantity(BigDecimal value, String unit, String ucum) {
        return JSON.createObjectBuilder()
                .add("value", plain(value))
                .add("unit", unit)
                .add("system", Codes.UCUM)
                .add("code", ucum);
    }

    /** {@code 1E+2} is a valid JSON number but reads oddly in an EHR: write whole numbers without an exponent. */
    private static BigDecimal plain(BigDecimal value) {
        return value.scale() < 0 ? value.setScale(0) : value;
    }

    /** FHIR dateTime and instant: seconds always present, an explicit offset (Z for UTC). */
    private static String dateTime(OffsetDateTime time) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time);
    }

    private static String uuid(String name) {
        return NameBasedUuid.v5(NAMESPACE, name).toString();
    }

    private static String urn(String uuid) {
        return "urn:uuid:" + uuid;
    }
}
