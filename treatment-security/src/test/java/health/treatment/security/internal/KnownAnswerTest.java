package health.treatment.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.prf.HmacPrfKey;
import com.google.crypto.tink.prf.HmacPrfParameters;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import com.google.crypto.tink.prf.PrfSet;
import com.google.crypto.tink.util.SecretBytes;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Published vectors run through the same Tink key types and primitive path the key ring uses ({@link KeyRing} over a
 * keyset), proving the wiring, not just the JDK.
 */
class KnownAnswerTest {
    private static final HexFormat HEX = HexFormat.of();

    // GCM specification (McGrew & Viega, submitted to NIST), test cases 13, 14, 15 and 16: AES-256, 96-bit IV.
    @ParameterizedTest(name = "GCM test case {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "13|0000000000000000000000000000000000000000000000000000000000000000|000000000000000000000000|||"
                        + "|530f8afbc74536b9a963b4f1c4cb738b",
                "14|0000000000000000000000000000000000000000000000000000000000000000|000000000000000000000000"
                        + "|00000000000000000000000000000000||cea7403d4d606b6e074ec5d3baf39d18|d0d1c8a799996bf0265b98b5d48ab919",
                "15|feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308|cafebabefacedbaddecaf888"
                        + "|d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255|"
                        + "|522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad"
                        + "|b094dac5d93471bdec1a502270e3cc6c",
                "16|feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308|cafebabefacedbaddecaf888"
                        + "|d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
                        + "|feedfacedeadbeeffeedfacedeadbeefabaddad2"
                        + "|522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
                        + "|76fc6ece0f4e1768cddf8853bb2d551b",
            })
    void aes256GcmVectorDecryptsThroughTheKeyRingAeadPath(
            String testCase, String key, String iv, String plaintext, String aad, String ciphertext, String tag)
            throws Exception {
        int keyId = 0x12345678;
        AesGcmKey aesKey = AesGcmKey.builder()
                .setParameters(AesGcmParameters.builder()
                        .setKeySizeBytes(32)
                        .setIvSizeBytes(12)
                        .setTagSizeBytes(16)
                        .setVariant(AesGcmParameters.Variant.TINK)
                        .build())
                .setKeyBytes(SecretBytes.copyFrom(hex(key), InsecureSecretKeyAccess.get()))
                .setIdRequirement(keyId)
                .build();
        KeysetHandle phi = KeysetHandle.newBuilder()
                .addEntry(KeysetHandle.importKey(aesKey).makePrimary())
                .build();
        KeysetHandle prf = KeysetHandle.generateNew(PredefinedPrfParameters.HMAC_SHA256_PRF, TinkSetup.configuration());
        KeyRing ring = new KeyRing(phi, prf, prf);

        // Tink layout: 0x01 || key id || IV || C || T.
        byte[] body = concat(hex(iv), hex(ciphertext), hex(tag));
        byte[] tinkCiphertext = ByteBuffer.allocate(5 + body.length)
                .put((byte) 1)
                .putInt(keyId)
                .put(body)
                .array();

        assertThat(ring.phiAead().decrypt(tinkCiphertext, hex(aad))).isEqualTo(hex(plaintext));
        assertThat(CiphertextLayout.keyId(tinkCiphertext)).hasValue(keyId);

        // And the encryption direction, through JCA with the fixed IV (Tink's encrypt chooses its IV at random).
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(hex(key), "AES"), new GCMParameterSpec(128, hex(iv)));
        cipher.updateAAD(hex(aad));
        assertThat(cipher.doFinal(hex(plaintext))).isEqualTo(concat(hex(ciphertext), hex(tag)));
        // A Tink-encrypted value under the same key decrypts with the same primitive (round trip on the wiring).
        byte[] fresh = ring.phiAead().encrypt(hex(plaintext), hex(aad));
        assertThat(fresh).hasSize(5 + 12 + hex(plaintext).length + 16);
        assertThat(ring.phiAead().decrypt(fresh, hex(aad))).isEqualTo(hex(plaintext));
    }

    // RFC 4231 test cases 1, 3, 4, 6 and 7 (HMAC-SHA256; case 2's 4-byte key is below Tink's 16-byte minimum and case 5
    // tests truncation).
    @ParameterizedTest(name = "RFC 4231 test case {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "1|0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b|4869205468657265"
                        + "|b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
                "3|aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                        + "|dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
                        + "|773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
                "4|0102030405060708090a0b0c0d0e0f10111213141516171819"
                        + "|cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
                        + "|82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
                "6|aa*131"
                        + "|54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374"
                        + "|60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
                "7|aa*131"
                        + "|5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a65206b657920616e642061"
                        + "206c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565647320746f20626520686173686564"
                        + "206265666f7265206265696e6720757365642062792074686520484d414320616c676f726974686d2e"
                        + "|9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
            })
    void hmacSha256VectorsThroughTheBlindIndexPath(String testCase, String key, String data, String mac)
            throws Exception {
        PrfSet prf = prfSetWithKey(hex(key));
        assertThat(prf.computePrimary(hex(data), 32)).isEqualTo(hex(mac));
        // The blind index is exactly base64url of that output.
        assertThat(Tokens.blindIndex(prf, hex(data)))
                .isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(hex(mac)));
    }

    @Test
    void pseudonymIsBase32OfTheFirst128BitsOfTheHmac() throws Exception {
        PrfSet prf = prfSetWithKey(hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"));
        byte[] mac = hex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
        assertThat(Tokens.pseudonym(prf, hex("4869205468657265")))
                .isEqualTo("pt_" + Identifiers.base32(java.util.Arrays.copyOf(mac, 16)))
                .hasSize(3 + 26);
    }

    private static PrfSet prfSetWithKey(byte[] key) throws Exception {
        HmacPrfKey hmacKey = HmacPrfKey.builder()
                .setParameters(HmacPrfParameters.builder()
                        .setKeySizeBytes(key.length)
                        .setHashType(HmacPrfParameters.HashType.SHA256)
                        .build())
                .setKeyBytes(SecretBytes.copyFrom(key, InsecureSecretKeyAccess.get()))
                .build();
        KeysetHandle handle = KeysetHandle.newBuilder()
                .addEntry(KeysetHandle.importKey(hmacKey).withRandomId().makePrimary())
                .build();
        return handle.getPrimitive(TinkSetup.configuration(), PrfSet.class);
    }

    /** Hex, or {@code "xx*n"} for n repetitions of byte xx (RFC 4231's 131-byte keys). */
    private static byte[] hex(String s) {
        if (s == null) {
            return new byte[0];
        }
        int star = s.indexOf('*');
        return star < 0
                ? HEX.parseHex(s)
                : HEX.parseHex(s.substring(0, star).repeat(Integer.parseInt(s.substring(star + 1))));
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer b = ByteBuffer.allocate(
                java.util.Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }
}
