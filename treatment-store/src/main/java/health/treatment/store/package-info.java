/**
 * The treatment store: the write path of the product. {@link health.treatment.store.TreatmentStore} stores validated
 * records encrypted (storage crypto policy), with their idempotency keys and audit events committed together, in
 * groups of batched statements on plain JDBC, and reads them back decrypted. Implementation in {@code .internal}.
 */
package health.treatment.store;
