package health.treatment.security;

/** Where the library runs; production refuses development key rings. */
public enum DeploymentMode {
    DEVELOPMENT,
    PRODUCTION
}
