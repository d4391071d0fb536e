/**
 * Not API: the group-commit writer, its SQL, the storage crypto policy, the record reader, and the SQL of erasure,
 * key rotation and retention.
 */
package health.treatment.store.internal;
