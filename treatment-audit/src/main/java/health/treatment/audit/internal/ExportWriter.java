package health.treatment.audit.internal;

import health.treatment.audit.Checkpoint;
import health.treatment.audit.SealedEvent;
import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * NDJSON export lines (format {@code treatment-audit-export/1}), one JSON object per line:
 * <pre>
 * {"type":"header","format":"treatment-audit-export/1","from":..,"to":..,"key_id":..}       by time, or
 * {"type":"header","format":"treatment-audit-export/1","from_sequence":N,"to_sequence":M,"key_id":..}
 * {"type":"start","sequence":N,"hash":"hex"}                       chain hash before the first exported event
 * {"type":"event","sequence":N,"hash":"hex","event":{...}}
 * {"type":"checkpoint","kind":"periodic|purge","sequence":N,"head_hash":"hex","time":..,"key_id":..,"signature":"hex"}
 * </pre>
 */
public final class ExportWriter {
    public static final String FORMAT = "treatment-audit-export/1";
    private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());
    private final BufferedWriter out;

    public ExportWriter(OutputStream stream) {
        this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
    }

    private void line(JsonObject json) throws IOException {
        out.write(json.toString());
        out.write('\n');
    }

    public void header(Instant from, Instant to, String keyId) throws IOException {
        line(JSON.createObjectBuilder()
                .add("type", "header")
                .add("format", FORMAT)
                .add("from", from.toString())
                .add("to", to.toString())
                .add("key_id", keyId)
                .build());
    }

    public void header(long fromSequence, long toSequence, String keyId) throws IOException {
        line(JSON.createObjectBuilder()
                .add("type", "header")
                .add("format", FORMAT)
                .add("from_sequence", fromSequence)
                .add("to_sequence", toSequence)
                .add("key_id", keyId)
                .build());
    }

    public void start(long sequence, String hash) throws IOException {
        line(JSON.createObjectBuilder()
                .add("type", "start")
                .add("sequence", sequence)
                .add("hash", hash)
                .build());
    }

    public void event(SealedEvent e) throws IOException {
        line(JSON.createObjectBuilder()
                .add("type", "event")
                .add("sequence", e.sequence())
                .add("hash", e.hash())
                .add("event", e.event().toJsonObject())
                .build());
    }

    public void checkpoint(Checkpoint c) throws IOException {
        line(checkpointJson(c));
    }

    public static JsonObject checkpointJson(Checkpoint c) {
        return JSON.createObjectBuilder()
                .add("type", "checkpoint")
                .add("kind", c.kind().code())
                .add("sequence", c.sequence())
                .add("head_hash", c.headHash())
                .add("time", Canonical.rfc3339Micros(c.time()))
                .add("key_id", c.keyId())
                .add("signature", c.signature())
                .build();
    }

    public void flush() throws IOException {
        out.flush();
    }
}
