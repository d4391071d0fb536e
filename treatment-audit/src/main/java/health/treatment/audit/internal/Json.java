package health.treatment.audit.internal;

import health.treatment.audit.AuditEvent;
import health.treatment.audit.Outcome;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Minimal JSON writer and parser. The verify path must run on the bare JDK (java -jar, no dependencies), so this
 * module carries its own; inputs are small, ASCII-restricted audit lines.
 */
public final class Json {
    private static final int MAX_DEPTH = 16;

    private Json() {
    }

    // ---------------------------------------------------------------- writing

    /** A tiny append-only object writer; values are escaped, nulls are omitted. */
    public static final class ObjectWriter {
        private final StringBuilder sb = new StringBuilder(256).append('{');
        private boolean first = true;

        private void key(String k) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            quote(sb, k);
            sb.append(':');
        }

        public ObjectWriter str(String k, String v) {
            if (v != null) {
                key(k);
                quote(sb, v);
            }
            return this;
        }

        public ObjectWriter num(String k, long v) {
            key(k);
            sb.append(v);
            return this;
        }

        public ObjectWriter bool(String k, boolean v) {
            key(k);
            sb.append(v);
            return this;
        }

        /** Inserts already-serialised JSON (object or array) produced by this class. */
        public ObjectWriter raw(String k, String json) {
            if (json != null) {
                key(k);
                sb.append(json);
            }
            return this;
        }

        public ObjectWriter strings(String k, List<String> values) {
            key(k);
            sb.append('[');
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                quote(sb, values.get(i));
            }
            sb.append(']');
            return this;
        }

        public String end() {
            return sb.append('}').toString();
        }
    }

    public static ObjectWriter object() {
        return new ObjectWriter();
    }

    public static String array(List<String> rawJsonValues) {
        return "[" + String.join(",", rawJsonValues) + "]";
    }

    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    // ---------------------------------------------------------------- event mapping

    public static String eventToJson(AuditEvent e) {
        return object()
                .str("time", e.time().toString())
                .str("device_time", e.deviceTime() == null ? null : e.deviceTime().toString())
                .str("client_id", e.clientId())
                .strings("roles", e.roles())
                .str("token_id", e.tokenId())
                .str("certificate_thumbprint", e.certificateThumbprint())
                .str("action", e.action())
                .str("resource_type", e.resourceType())
                .str("record_id", e.recordId())
                .str("outcome", e.outcome().code())
                .num("http_status", e.httpStatus())
                .str("reason_code", e.reasonCode())
                .str("source_ip", e.sourceIp())
                .str("node_id", e.nodeId())
                .str("request_id", e.requestId())
                .end();
    }

    /** Inverse of {@link #eventToJson}; the AuditEvent constructor re-validates every field. */
    @SuppressWarnings("unchecked")
    public static AuditEvent eventFromMap(Map<String, Object> m) {
        List<String> roles = new ArrayList<>();
        Object r = m.get("roles");
        if (r instanceof List<?> l) {
            for (Object o : l) {
                roles.add((String) o);
            }
        }
        return new AuditEvent(
                Instant.parse(reqString(m, "time")),
                m.get("device_time") == null ? null : Instant.parse(reqString(m, "device_time")),
                optString(m, "client_id"),
                roles,
                optString(m, "token_id"),
                optString(m, "certificate_thumbprint"),
                optString(m, "action"),
                optString(m, "resource_type"),
                optString(m, "record_id"),
                Outcome.fromCode(reqString(m, "outcome")),
                m.get("http_status") == null ? 0 : ((BigDecimal) m.get("http_status")).intValueExact(),
                optString(m, "reason_code"),
                optString(m, "source_ip"),
                optString(m, "node_id"),
                optString(m, "request_id"));
    }

    public static String reqString(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("missing string field " + k);
        }
        return s;
    }

    public static String optString(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("field " + k + " is not a string");
        }
        return s;
    }

    public static long reqLong(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (!(v instanceof BigDecimal d)) {
            throw new IllegalArgumentException("missing number field " + k);
        }
        return d.longValueExact();
    }

    /** FHIR R4 AuditEvent following IHE BALP (RESTful interaction subtypes, DICOM user-authentication type). */
    public static String eventToFhir(AuditEvent e) {
        String action = e.action();
        boolean auth = action.startsWith("auth.");
        String type = auth
                ? object().str("system", "http://dicom.nema.org/resources/ontology/DCM").str("code", "110114")
                        .str("display", "User Authentication").end()
                : object().str("system", "http://terminology.hl7.org/CodeSystem/audit-event-type").str("code", "rest")
                        .str("display", "RESTful Operation").end();
        String verb = action.substring(action.lastIndexOf('.') + 1);
        String interaction;
        String crud;
        switch (verb) {
            case "create" -> { interaction = "create"; crud = "C"; }
            case "read" -> { interaction = "read"; crud = "R"; }
            case "query", "search" -> { interaction = "search-type"; crud = "E"; }
            case "update" -> { interaction = "update"; crud = "U"; }
            case "delete", "purge" -> { interaction = "delete"; crud = "D"; }
            default -> { interaction = null; crud = "E"; }
        }
        List<String> subtypes = new ArrayList<>();
        if (interaction != null && !auth) {
            subtypes.add(object().str("system", "http://hl7.org/fhir/restful-interaction").str("code", interaction).end());
        }
        subtypes.add(object().str("system", "urn:health:treatment:audit:action").str("code", action).end());

        ObjectWriter agent = object()
                .raw("type", object().raw("coding", array(List.of(object()
                        .str("system", "http://terminology.hl7.org/CodeSystem/v3-ParticipationType")
                        .str("code", "IRCP").str("display", "information recipient").end()))).end());
        if (!e.roles().isEmpty()) {
            List<String> roles = new ArrayList<>();
            for (String role : e.roles()) {
                roles.add(object().raw("coding", array(List.of(object()
                        .str("system", "urn:health:treatment:role").str("code", role).end()))).end());
            }
            agent.raw("role", array(roles));
        }
        agent.raw("who", object().raw("identifier", object().str("value",
                e.clientId() == null ? "anonymous" : e.clientId()).end()).end());
        if (e.tokenId() != null) {
            agent.str("altId", e.tokenId());
        }
        agent.bool("requestor", true);
        if (e.sourceIp() != null) {
            agent.raw("network", object().str("address", e.sourceIp())
                    .str("type", "2").end());
        }

        ObjectWriter fhir = object()
                .str("resourceType", "AuditEvent")
                .raw("type", type)
                .raw("subtype", array(subtypes))
                .str("action", crud)
                .str("recorded", e.time().toString())
                .str("outcome", e.outcome().fhirOutcome());
        if (e.reasonCode() != null) {
            fhir.str("outcomeDesc", e.reasonCode());
        }
        fhir.raw("agent", array(List.of(agent.end())));
        fhir.raw("source", object()
                .str("site", e.nodeId())
                .raw("observer", object().str("display", e.nodeId()).end())
                .raw("type", array(List.of(object()
                        .str("system", "http://terminology.hl7.org/CodeSystem/security-source-type")
                        .str("code", "4").str("display", "Application Server").end()))).end());
        List<String> entities = new ArrayList<>();
        if (e.resourceType() != null || e.recordId() != null) {
            ObjectWriter what = object();
            if (e.recordId() != null) {
                what.str("reference", (e.resourceType() == null ? "Resource" : e.resourceType()) + "/" + e.recordId());
            } else {
                what.str("display", e.resourceType());
            }
            entities.add(object().raw("what", what.end())
                    .raw("type", object().str("system", "http://terminology.hl7.org/CodeSystem/audit-entity-type")
                            .str("code", "2").str("display", "System Object").end())
                    .end());
        }
        if (e.requestId() != null) {
            entities.add(object().raw("what", object().raw("identifier", object().str("value", e.requestId()).end())
                            .end())
                    .raw("type", object().str("system", "urn:health:treatment:audit").str("code", "request").end())
                    .end());
        }
        if (!entities.isEmpty()) {
            fhir.raw("entity", array(entities));
        }
        return fhir.end();
    }

    // ---------------------------------------------------------------- parsing

    /** Parses one JSON value: objects become LinkedHashMap, arrays List, numbers BigDecimal. */
    public static Object parse(String text) {
        Parser p = new Parser(text);
        p.ws();
        Object v = p.value(0);
        p.ws();
        if (p.pos != text.length()) {
            throw new IllegalArgumentException("trailing characters");
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return (Map<String, Object>) v;
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        void ws() {
            while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("malformed JSON: " + what + " at offset " + pos);
        }

        Object value(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("nesting too deep");
            }
            if (pos >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(pos);
            switch (c) {
                case '{':
                    return obj(depth);
                case '[':
                    return arr(depth);
                case '"':
                    return str();
                case 't':
                    return lit("true", Boolean.TRUE);
                case 'f':
                    return lit("false", Boolean.FALSE);
                case 'n':
                    return lit("null", null);
                default:
                    return num();
            }
        }

        Object lit(String word, Object v) {
            if (!s.startsWith(word, pos)) {
                throw error("bad literal");
            }
            pos += word.length();
            return v;
        }

        Map<String, Object> obj(int depth) {
            Map<String, Object> m = new LinkedHashMap<>();
            pos++;
            ws();
            if (pos < s.length() && s.charAt(pos) == '}') {
                pos++;
                return m;
            }
            while (true) {
                ws();
                if (pos >= s.length() || s.charAt(pos) != '"') {
                    throw error("expected key");
                }
                String k = str();
                ws();
                expect(':');
                ws();
                if (m.containsKey(k)) {
                    throw error("duplicate key");
                }
                m.put(k, value(depth + 1));
                ws();
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                expect('}');
                return m;
            }
        }

        List<Object> arr(int depth) {
            List<Object> l = new ArrayList<>();
            pos++;
            ws();
            if (pos < s.length() && s.charAt(pos) == ']') {
                pos++;
                return l;
            }
            while (true) {
                ws();
                l.add(value(depth + 1));
                ws();
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                expect(']');
                return l;
            }
        }

        void expect(char c) {
            if (pos >= s.length() || s.charAt(pos) != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        String str() {
            pos++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(pos++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c == '\\') {
                    if (pos >= s.length()) {
                        throw error("bad escape");
                    }
                    char e = s.charAt(pos++);
                    switch (e) {
                        case '"', '\\', '/' -> sb.append(e);
                        case 'b' -> sb.append('\b');
                        case 'f' -> sb.append('\f');
                        case 'n' -> sb.append('\n');
                        case 'r' -> sb.append('\r');
                        case 't' -> sb.append('\t');
                        case 'u' -> {
                            if (pos + 4 > s.length()) {
                                throw error("bad unicode escape");
                            }
                            try {
                                sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                            } catch (NumberFormatException ex) {
                                throw error("bad unicode escape");
                            }
                            pos += 4;
                        }
                        default -> throw error("bad escape");
                    }
                } else if (c < 0x20) {
                    throw error("control character in string");
                } else {
                    sb.append(c);
                }
            }
        }

        BigDecimal num() {
            int start = pos;
            while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
            if (start == pos || pos - start > 40) {
                throw error("bad number");
            }
            try {
                return new BigDecimal(s.substring(start, pos));
            } catch (NumberFormatException ex) {
                throw error("bad number");
            }
        }
    }
}
