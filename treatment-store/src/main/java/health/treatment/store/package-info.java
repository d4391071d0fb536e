/**
 * The treatment store: the write path of the product. {@link health.treatment.store.TreatmentStore} stores validated
 * records encrypted (storage crypto policy), with their idempotency keys and audit events committed together, in
 * groups of batched statements on plain JDBC, and reads them back decrypted. It also erases patients
 * (crypto-shredding: unreadable in the live database at once, in older backups once the next
 * {@link health.treatment.store.TreatmentStore#rewrapPatientKeys rotation} destroyed their wrapping epoch), rotates
 * the wrapping epoch, and purges records past retention. Implementation in {@code .internal}.
 */
package health.treatment.store;
