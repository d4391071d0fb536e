/** Implementation details (canonical encoding, JSON, chain verification, export format, CLI). Not API. */
package health.treatment.audit.internal;
