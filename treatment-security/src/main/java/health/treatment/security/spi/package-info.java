/**
 * Extension points: where the key-encryption key comes from ({@link health.treatment.security.spi.KeyEncryptionKeySource},
 * e.g. a PKCS12 keystore, a PKCS#11 HSM or a cloud KMS through JCA) and where encrypted keysets are kept
 * ({@link health.treatment.security.spi.KeysetStore}; a directory today, a database-backed store can come later).
 */
package health.treatment.security.spi;
