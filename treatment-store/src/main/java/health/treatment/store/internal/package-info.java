/** Not API: the group-commit writer, its SQL, the storage crypto policy and the record reader. */
package health.treatment.store.internal;
