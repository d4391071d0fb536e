package health.treatment.audit.internal;

import java.util.HexFormat;

/** Lower-case hex, the only textual form used for hashes and signatures (stable for auditors). */
public final class Hex {
    private static final HexFormat HEX = HexFormat.of();

    private Hex() {}

    public static String encode(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** Decodes lower- or upper-case hex; throws IllegalArgumentException on anything else. */
    public static byte[] decode(String hex) {
        return HEX.parseHex(hex);
    }

    public static boolean isHash(String s) {
        return s != null
                && s.length() == 64
                && s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }
}
