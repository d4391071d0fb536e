package health.treatment.audit.internal;

import health.treatment.audit.Checkpoint;
import health.treatment.audit.SealedEvent;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

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
    private final BufferedWriter out;

    public ExportWriter(OutputStream stream) {
        this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
    }

    private void line(String json) throws IOException {
        out.write(json);
        out.write('\n');
    }

    public void header(Instant from, Instant to, String keyId) throws IOException {
        line(Json.object().str("type", "header").str("format", FORMAT).str("from", from.toString())
                .str("to", to.toString()).str("key_id", keyId).end());
    }

    public void header(long fromSequence, long toSequence, String keyId) throws IOException {
        line(Json.object().str("type", "header").str("format", FORMAT).num("from_sequence", fromSequence)
                .num("to_sequence", toSequence).str("key_id", keyId).end());
    }

    public void start(long sequence, String hash) throws IOException {
        line(Json.object().str("type", "start").num("sequence", sequence).str("hash", hash).end());
    }

    public void event(SealedEvent e) throws IOException {
        line(Json.object().str("type", "event").num("sequence", e.sequence()).str("hash", e.hash())
                .raw("event", e.event().toJson()).end());
    }

    public void checkpoint(Checkpoint c) throws IOException {
        line(checkpointJson(c));
    }

    public static String checkpointJson(Checkpoint c) {
        return Json.object().str("type", "checkpoint").str("kind", c.kind().code()).num("sequence", c.sequence())
                .str("head_hash", c.headHash()).str("time", Canonical.rfc3339Micros(c.time()))
                .str("key_id", c.keyId()).str("signature", c.signature()).end();
    }

    public void flush() throws IOException {
        out.flush();
    }
}
