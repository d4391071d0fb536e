package health.treatment.core.internal;

import health.treatment.core.ViolationCodes;
import java.util.Map;
import java.util.function.BiConsumer;
import org.leadpony.justify.api.Problem;

/**
 * Maps Justify problems to stable violation codes by schema keyword. Justify's own messages are never used: they echo
 * submitted values ("actual" parameters).
 */
final class ProblemMapping {

    private static final Map<String, String> BY_KEYWORD = Map.ofEntries(
            Map.entry("additionalProperties", ViolationCodes.UNKNOWN_PROPERTY),
            Map.entry("required", ViolationCodes.REQUIRED),
            Map.entry("type", ViolationCodes.TYPE),
            Map.entry("minLength", ViolationCodes.TOO_SHORT),
            Map.entry("maxLength", ViolationCodes.TOO_LONG),
            Map.entry("pattern", ViolationCodes.PATTERN),
            Map.entry("minimum", ViolationCodes.MINIMUM),
            Map.entry("exclusiveMinimum", ViolationCodes.MINIMUM),
            Map.entry("maximum", ViolationCodes.MAXIMUM),
            Map.entry("exclusiveMaximum", ViolationCodes.MAXIMUM),
            Map.entry("maxItems", ViolationCodes.TOO_MANY_ITEMS),
            Map.entry("minItems", ViolationCodes.TOO_FEW_ITEMS),
            Map.entry("enum", ViolationCodes.ENUM),
            Map.entry("const", ViolationCodes.ENUM));

    private ProblemMapping() {}

    static void map(Problem problem, BiConsumer<String, String> sink) {
        String keyword = problem.getKeyword();
        String pointer = problem.getPointer() == null ? "" : problem.getPointer();
        Map<String, ?> params = problem.parametersAsMap();
        if (keyword == null) {
            // Justify reports "additionalProperties": false as a problem of the false schema, with the property name.
            sink.accept(pointer, params.containsKey("name") ? ViolationCodes.UNKNOWN_PROPERTY : ViolationCodes.SCHEMA);
            return;
        }
        switch (keyword) {
            case "required": {
                // Point at the missing member (a schema name, safe to echo) rather than at its parent object.
                Object name = params.get("required");
                sink.accept(name instanceof String ? pointer + "/" + name : pointer, ViolationCodes.REQUIRED);
                return;
            }
            case "anyOf":
                if (pointer.isEmpty()) {
                    identifierRequired(problem, sink);
                } else {
                    sink.accept(pointer, ViolationCodes.SCHEMA);
                }
                return;
            case "format":
                sink.accept(
                        pointer,
                        "date-time".equals(params.get("attribute"))
                                ? ViolationCodes.FORMAT_DATE_TIME
                                : ViolationCodes.SCHEMA);
                return;
            default:
                sink.accept(pointer, BY_KEYWORD.getOrDefault(keyword, ViolationCodes.SCHEMA));
        }
    }

    /**
     * The only anyOf in v1, at the root, is "patient_id or encounter_id": one identifier_required per member that its
     * branches require (in branch order), so that the client is told which members may be given.
     */
    private static void identifierRequired(Problem problem, BiConsumer<String, String> sink) {
        boolean named = false;
        for (int i = 0; i < problem.countBranches(); i++) {
            for (Problem p : problem.getBranch(i)) {
                Object name = p.parametersAsMap().get("required");
                if ("required".equals(p.getKeyword()) && name instanceof String) {
                    sink.accept(p.getPointer() + "/" + name, ViolationCodes.IDENTIFIER_REQUIRED);
                    named = true;
                }
            }
        }
        if (!named) {
            sink.accept(problem.getPointer(), ViolationCodes.IDENTIFIER_REQUIRED);
        }
    }
}
