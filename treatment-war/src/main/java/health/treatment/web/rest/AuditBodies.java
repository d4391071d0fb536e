package health.treatment.web.rest;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The JSON bodies {@link AuditResource} writes, as OpenAPI schemas: documentation only (the resource builds the JSON
 * itself). Annotated records rather than the static document because some members are nullable, which only the
 * server's own annotation reader renders for its OpenAPI version ({@code type: [string, "null"]} in 3.1,
 * {@code nullable: true} in 3.0). Record components are named as the JSON members (snake_case). The field patterns
 * of {@link Event} are set by {@link OpenApiModel} from {@code AuditFields}.
 */
final class AuditBodies {

    private AuditBodies() {}

    @Schema(
            name = OpenApiModel.AUDIT_EVENT,
            description = "One sealed audit event: metadata of an access attempt, never a payload or PHI. Optional "
                    + "fields are absent when unknown.",
            additionalProperties = Schema.False.class,
            requiredProperties = {"time", "roles", "action", "outcome", "http_status", "node_id", "sequence", "hash"})
    record Event(
            @Schema(format = "date-time", description = "Server time of the attempt (microsecond precision).")
            String time,

            @Schema(format = "date-time", description = "Time claimed by the device, if any.")
            String device_time,

            @Schema(description = "Authenticated client (token subject); absent when unauthenticated.")
            String client_id,

            @Schema(description = "Roles (groups claim) of the caller, sorted; empty when unauthenticated.")
            List<String> roles,

            @Schema(description = "JWT id (jti).") String token_id,

            @Schema(description = "Client certificate thumbprint, when mutual TLS is used.")
            String certificate_thumbprint,

            @Schema(description = "e.g. treatment.create, treatment.read, audit.query, audit.verify, auth.failure.")
            String action,

            @Schema(description = "e.g. Treatment, AuditEvent.")
            String resource_type,

            @Schema(description = "Internal record reference (never a patient identifier).")
            String record_id,

            @Schema(
                    enumeration = {
                        "success",
                        "client_error",
                        "unauthenticated",
                        "forbidden",
                        "rate_limited",
                        "server_error"
                    })
            String outcome,

            @Schema(type = SchemaType.INTEGER, description = "HTTP status answered; 0 when not an HTTP request.")
            Object http_status,

            @Schema(description = "Failure reason code, e.g. not_found, validation_failed.")
            String reason_code,

            @Schema(description = "Caller IP address.") String source_ip,

            @Schema(description = "Server node that handled the attempt.")
            String node_id,

            @Schema(description = "Request correlation id.") String request_id,

            @Schema(minimum = "1", description = "Gap-free position in the chain, from 1.")
            long sequence,

            @Schema(pattern = "^[0-9a-f]{64}$", description = "Hex SHA-256 chain hash as stored.")
            String hash) {}

    @Schema(
            name = OpenApiModel.AUDIT_EVENT_PAGE,
            description = "One page of audit events in sequence order.",
            additionalProperties = Schema.False.class,
            requiredProperties = {"events", "next"})
    record EventPage(
            @Schema(maxItems = 1000) List<Event> events,

            @Schema(
                    nullable = true,
                    description = "Opaque cursor for the next page (pass as `after`); null on the last page.")
            String next) {}

    @Schema(
            name = OpenApiModel.AUDIT_VERIFICATION,
            description = "Result of verifying the audit hash chain and its signed checkpoints.",
            additionalProperties = Schema.False.class,
            requiredProperties = {
                "intact",
                "events_checked",
                "last_sequence",
                "last_signed_sequence",
                "checkpoints_verified",
                "reason",
                "public_key_id",
                "first_bad_sequence",
                "last_signed_time",
                "oldest_unsigned_event_time"
            })
    record Verification(
            @Schema(description = "True when no check failed.")
            boolean intact,

            @Schema(minimum = "0", description = "Events whose hash was recomputed.")
            long events_checked,

            @Schema(minimum = "0", description = "Last sequence number seen.")
            long last_sequence,

            @Schema(
                    minimum = "0",
                    description = "Highest sequence covered by a verified signed checkpoint; later events are "
                            + "protected by the chain only.")
            long last_signed_sequence,

            @Schema(minimum = "0", description = "Checkpoints whose signature and head hash were checked.")
            long checkpoints_verified,

            @Schema(
                    pattern = "^[a-z_]{1,40}$",
                    description = "ok; hash_mismatch, sequence_gap, invalid_event, truncated (events edited, "
                            + "missing, unreadable or cut off); checkpoint_mismatch, "
                            + "checkpoint_signature_invalid, checkpoint_out_of_order, "
                            + "checkpoint_outside_key_validity (a checkpoint that does not hold); "
                            + "trusted_checkpoint_mismatch, trusted_checkpoint_missing, "
                            + "trusted_checkpoint_purged, trusted_checkpoint_invalid (the kept checkpoint of a "
                            + "POST is not extended by the trail, or is not one of its signed checkpoints); "
                            + "tamper_finding (the sealer recorded an invalid outbox row at that sequence); "
                            + "unsigned_tail_stale (events older than the freshness limit are not yet covered "
                            + "by a signed checkpoint).")
            String reason,

            @Schema(description = "Id of the public key that verifies the checkpoint signatures.")
            String public_key_id,

            @Schema(nullable = true, description = "First sequence number at which a check failed; null when intact.")
            Long first_bad_sequence,

            @Schema(
                    format = "date-time",
                    nullable = true,
                    description = "When the checkpoint at last_signed_sequence was signed; null when none.")
            String last_signed_time,

            @Schema(
                    format = "date-time",
                    nullable = true,
                    description = "Oldest event not yet covered by a signed checkpoint (including events still "
                            + "waiting to be sealed); null when every event is signed.")
            String oldest_unsigned_event_time,

            @Schema(description = "POST only: the sequence of the kept checkpoint checked.")
            long trusted_checkpoint_sequence) {}

    @Schema(
            name = OpenApiModel.AUDIT_CHECKPOINT,
            description = "A signed statement: the chain up to `sequence` has head hash `head_hash`, made at `time` "
                    + "with the key `key_id`. Ed25519 over \"TACP1\" || kind || sequence || head hash || time (see the "
                    + "audit jar). Keep one: it lets you prove later that the trail still extends it.",
            additionalProperties = Schema.False.class,
            requiredProperties = {"sequence", "head_hash", "time", "kind", "key_id", "signature"})
    record Checkpoint(
            @Schema(minimum = "0", description = "Last sequence covered (0: the empty chain).")
            long sequence,

            @Schema(pattern = "^[0-9a-f]{64}$", description = "Hex SHA-256 chain hash at `sequence`.")
            String head_hash,

            @Schema(format = "date-time", description = "When it was signed (UTC, microsecond precision).")
            String time,

            @Schema(
                    enumeration = {"periodic", "purge"},
                    description = "periodic, or purge: events up to `sequence` were deleted by retention, "
                            + "verification of the rest starts here.")
            String kind,

            @Schema(pattern = "^[0-9a-f]{16}$", description = "The signing key (see /api/v1/audit/signing-keys).")
            String key_id,

            @Schema(pattern = "^[0-9a-f]{1,256}$", description = "Hex Ed25519 signature.")
            String signature) {}

    @Schema(
            name = OpenApiModel.AUDIT_CHECKPOINT_PAGE,
            description = "One page of signed checkpoints in sequence order.",
            additionalProperties = Schema.False.class,
            requiredProperties = {"checkpoints", "next"})
    record CheckpointPage(
            @Schema(maxItems = 1000) List<Checkpoint> checkpoints,

            @Schema(nullable = true, description = "Pass as `after` for the next page; null on the last page.")
            String next) {}

    @Schema(
            name = OpenApiModel.AUDIT_SIGNING_KEYS,
            description = "The keys this trail trusts for its checkpoints.",
            additionalProperties = Schema.False.class,
            requiredProperties = "keys")
    record SigningKeys(List<SigningKey> keys) {}

    @Schema(
            name = "AuditSigningKey",
            description = "A public key that signs (or signed) checkpoints, and when.",
            additionalProperties = Schema.False.class,
            requiredProperties = {"key_id", "public_key_pem", "valid_from", "valid_until"})
    record SigningKey(
            @Schema(
                    pattern = "^[0-9a-f]{16}$",
                    description = "First 16 hex digits of SHA-256 over the X.509 public key.")
            String key_id,

            @Schema(description = "Ed25519 public key, X.509 PEM.")
            String public_key_pem,

            @Schema(format = "date-time", description = "Checkpoints made from this time on.")
            String valid_from,

            @Schema(
                    format = "date-time",
                    nullable = true,
                    description = "... and until this time; null for the current key.")
            String valid_until) {}
}
