/** Implementation details; not API. Nothing outside this module may depend on these types. */
package health.treatment.security.internal;
