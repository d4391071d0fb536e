package health.treatment.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated treatment record. Immutable; the constructor enforces the invariants the schema and the cross-field rules
 * guarantee for validated documents (identifier present, identifier shapes, end not before start, whole-minute duration,
 * offsets on whole minutes), so a record built by hand serializes to JSON that {@link TreatmentValidator} accepts as long
 * as its other values respect the schema bounds.
 *
 * <p>{@link #toString()} redacts PHI: patient and encounter identifiers, technician id and notes are never printed.
 */
public record TreatmentRecord(
        String machineId,
        Optional<String> patientId,
        Optional<String> encounterId,
        OffsetDateTime treatmentStart,
        Optional<OffsetDateTime> treatmentEnd,
        Optional<Duration> sessionDuration,
        Optional<String> technicianId,
        MachineSettings settings,
        List<String> alarms,
        Optional<String> notes,
        List<Observation> observations) {

    public TreatmentRecord {
        Objects.requireNonNull(machineId, "machineId");
        Objects.requireNonNull(patientId, "patientId");
        Objects.requireNonNull(encounterId, "encounterId");
        Objects.requireNonNull(treatmentStart, "treatmentStart");
        Objects.requireNonNull(treatmentEnd, "treatmentEnd");
        Objects.requireNonNull(sessionDuration, "sessionDuration");
        Objects.requireNonNull(technicianId, "technicianId");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(notes, "notes");
        alarms = List.copyOf(alarms);
        observations = List.copyOf(observations);
        // Messages name the rule only: the values may be PHI.
        if (!isDeviceRef(machineId)) {
            throw new TreatmentCoreException("machineId does not match the schema pattern");
        }
        if (technicianId.isPresent() && !isDeviceRef(technicianId.get())) {
            throw new TreatmentCoreException("technicianId does not match the schema pattern");
        }
        if (patientId.isEmpty() && encounterId.isEmpty()) {
            throw new TreatmentCoreException("a treatment record needs a patientId or an encounterId");
        }
        if (patientId.isPresent() && !isPatientRef(patientId.get())) {
            throw new TreatmentCoreException("patientId does not match the schema pattern");
        }
        if (encounterId.isPresent() && !isPatientRef(encounterId.get())) {
            throw new TreatmentCoreException("encounterId does not match the schema pattern");
        }
        checkRfc3339(treatmentStart, "treatmentStart");
        treatmentEnd.ifPresent(end -> checkRfc3339(end, "treatmentEnd"));
        if (treatmentEnd.isPresent() && treatmentEnd.get().isBefore(treatmentStart)) {
            throw new TreatmentCoreException("treatmentEnd must not be before treatmentStart");
        }
        if (sessionDuration.isPresent()) {
            Duration d = sessionDuration.get();
            if (d.isNegative() || d.isZero() || d.toSecondsPart() != 0 || d.toNanosPart() != 0) {
                throw new TreatmentCoreException("sessionDuration must be a positive whole number of minutes");
            }
        }
        for (Observation o : observations) {
            checkRfc3339(o.time(), "observation time");
        }
    }

    /** RFC 3339 can only express four-digit years and offsets in whole minutes. */
    /**
     * Exactly {@code [A-Za-z0-9_.\-]{1,64}} (whole string), by a char loop: every char of a match is ASCII, so chars and
     * code points coincide.
     */
    private static boolean isDeviceRef(String s) {
        int n = s.length();
        if (n < 1 || n > 64) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!(isAsciiAlphanumeric(c) || c == '_' || c == '.' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Exactly {@code (?!.*\.\.)[A-Za-z0-9\-._:/]{1,64}} (whole string), by a char loop: a match contains no line
     * terminator, so the look-ahead reduces to "no two consecutive dots".
     */
    private static boolean isPatientRef(String s) {
        int n = s.length();
        if (n < 1 || n > 64) {
            return false;
        }
        char previous = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!(isAsciiAlphanumeric(c) || c == '-' || c == '.' || c == '_' || c == ':' || c == '/')
                    || (c == '.' && previous == '.')) {
                return false;
            }
            previous = c;
        }
        return true;
    }

    private static boolean isAsciiAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static void checkRfc3339(OffsetDateTime t, String what) {
        if (t.getYear() < 0 || t.getYear() > 9999 || t.getOffset().getTotalSeconds() % 60 != 0) {
            throw new TreatmentCoreException(what + " cannot be written as an RFC 3339 date-time");
        }
    }

    /**
     * Canonical JSON: snake_case, fixed member order, absent optionals omitted, date-times in RFC 3339 with the original
     * offset. {@link TreatmentValidator#validate(byte[])} accepts it and binds it to a record equal to this one.
     */
    public String toJson() {
        return CanonicalJson.write(this);
    }

    /**
     * Binds a stored canonical document ({@link #toJson()}, what a store keeps, also as written by earlier versions)
     * back to a record. The one place stored documents are bound: the FHIR mapping and the store's idempotent replay
     * comparison both read them here.
     *
     * @throws TreatmentCoreException when the JSON is not a valid record (the message names no value)
     */
    public static TreatmentRecord fromJson(String canonicalJson) {
        ValidationResult result = StoredDocuments.VALIDATOR.validate(canonicalJson.getBytes(StandardCharsets.UTF_8));
        if (!(result instanceof ValidationResult.Valid valid)) {
            throw new TreatmentCoreException("the stored JSON is not a valid treatment record");
        }
        return valid.record();
    }

    /** Holder, so that the validator is built on the first {@link #fromJson}, not whenever a record is. */
    private static final class StoredDocuments {
        /**
         * The byte limit is the ceiling, not the request limit: the document may have been accepted under any limit the
         * HTTP API can be configured to, and canonical JSON escapes what the submission may have sent raw, so it can be
         * a little longer than the accepted document. The stored document passed validation when it was accepted; the
         * limits only bound the work.
         */
        static final TreatmentValidator VALIDATOR = TreatmentValidator.create(
                ValidationLimits.defaults().withMaxDocumentBytes(ValidationLimits.MAX_DOCUMENT_BYTES_CEILING));
    }

    @Override
    public String toString() {
        return "TreatmentRecord[machineId=" + machineId
                + ", patientId=" + redacted(patientId)
                + ", encounterId=" + redacted(encounterId)
                + ", treatmentStart=" + treatmentStart
                + ", treatmentEnd=" + treatmentEnd.map(Object::toString).orElse("absent")
                + ", sessionDuration=" + sessionDuration.map(Object::toString).orElse("absent")
                + ", technicianId=" + redacted(technicianId)
                + ", settings=" + settings
                + ", alarms=" + alarms
                + ", notes=" + redacted(notes)
                + ", observations=" + observations.size()
                + "]";
    }

    private static String redacted(Optional<String> value) {
        return value.isPresent() ? "<redacted>" : "absent";
    }
}
