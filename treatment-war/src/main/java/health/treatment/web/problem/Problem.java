package health.treatment.web.problem;

import health.treatment.web.config.JsonFactories;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.List;
import java.util.Objects;

/**
 * An RFC 9457 problem detail: the only error body this service ever sends.
 *
 * <p>Every text here is chosen by the server from a fixed vocabulary: never an exception message, a class name,
 * or anything the client submitted (which could be PHI).
 *
 * @param type       URI reference identifying the problem type (stable, documented in the OpenAPI document)
 * @param title      short, human-readable summary of the type
 * @param status     HTTP status code
 * @param detail     explanation specific to this occurrence (still server-chosen text)
 * @param violations validation violations (JSON Pointer + stable code); empty when not a validation problem
 */
public record Problem(String type, String title, int status, String detail, List<Violation> violations) {

    /** The media type of every error body. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** Base of our problem type URIs. */
    public static final String TYPE_BASE = "https://treatment.local/problems/";

    /**
     * One validation violation.
     *
     * @param pointer JSON Pointer (RFC 6901) to the offending location in the submitted document
     * @param code    stable machine-readable code
     */
    public record Violation(String pointer, String code) {
        public Violation {
            Objects.requireNonNull(pointer, "pointer");
            Objects.requireNonNull(code, "code");
        }
    }

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(detail, "detail");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("problem status must be 4xx or 5xx");
        }
        violations = List.copyOf(violations == null ? List.of() : violations);
    }

    /** A problem of a well-known kind with the kind's default detail. */
    public static Problem of(ProblemKind kind) {
        return new Problem(kind.type(), kind.title(), kind.status(), kind.detail(), List.of());
    }

    /** A problem of a well-known kind with an occurrence-specific (server-chosen) detail. */
    public static Problem of(ProblemKind kind, String detail) {
        return new Problem(kind.type(), kind.title(), kind.status(), detail, List.of());
    }

    /** A problem for a bare HTTP status (container errors), mapped onto the closest well-known kind. */
    public static Problem forStatus(int status) {
        return of(ProblemKind.forStatus(status));
    }

    /** A copy with validation violations attached. */
    public Problem withViolations(List<Violation> list) {
        return new Problem(type, title, status, detail, list);
    }

    /** The RFC 9457 JSON body. */
    public JsonObject toJson() {
        JsonObjectBuilder b = JsonFactories.BUILDERS
                .createObjectBuilder()
                .add("type", type)
                .add("title", title)
                .add("status", status)
                .add("detail", detail);
        if (!violations.isEmpty()) {
            JsonArrayBuilder arr = JsonFactories.BUILDERS.createArrayBuilder();
            for (Violation v : violations) {
                arr.add(JsonFactories.BUILDERS
                        .createObjectBuilder()
                        .add("pointer", v.pointer())
                        .add("code", v.code()));
            }
            b.add("violations", arr);
        }
        return b.build();
    }

    /** The body as a string (UTF-8 when written). */
    public String toJsonString() {
        return toJson().toString();
    }
}
