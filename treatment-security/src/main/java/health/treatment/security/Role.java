package health.treatment.security;

import java.util.Locale;
import java.util.Optional;

/** Roles carried in the JWT {@code groups} claim. */
public enum Role {
  /** A medical device; may submit only for its own machine id. */
  DEVICE("device"),
  /** A clinic gateway; may submit for any machine. */
  GATEWAY("gateway"),
  /** May read treatment records with identifiers decrypted. */
  CLINICIAN("clinician"),
  /** May read and verify the audit trail. */
  AUDITOR("auditor");

  private final String claimName;

  Role(String claimName) {
    this.claimName = claimName;
  }

  /** Maps a {@code groups} entry to a role; exact, lowercase names only (unknown groups are ignored, not errors). */
  public static Optional<Role> fromClaim(String groupName) {
    if (groupName == null) {
      return Optional.empty();
    }
    for (Role role : values()) {
      if (role.claimName.equals(groupName)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }

  /** The group name as it appears in the token. */
  public String claimName() {
    return claimName;
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
