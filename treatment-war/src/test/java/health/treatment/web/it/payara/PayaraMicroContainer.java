package health.treatment.web.it.payara;

import health.treatment.web.it.Https;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.arquillian.container.spi.client.protocol.ProtocolDescription;
import org.jboss.arquillian.container.spi.client.protocol.metadata.HTTPContext;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;

/**
 * Runs the WAR on Payara Micro as an operator would: {@code java -jar payara-micro.jar} with asadmin command files,
 * the JDBC driver added to the server's class path, the WAR at context root {@code /}, HTTPS on loopback.
 *
 * <p>Payara Micro deploys what it is given at boot, and almost every IT deploys the same packaged WAR unchanged
 * ({@code Deployments.war()}). So a deployment boots the server with the archive unless the running server already
 * serves one with exactly the same content (names and bytes of every entry), in which case it is reused; an archive
 * with other content (ForgottenRoleIT adds a class) restarts the server with it. Undeploying leaves the server
 * running for the next test class, and {@link #stop} ends the process at the end of the test JVM.
 */
public class PayaraMicroContainer implements DeployableContainer<PayaraMicroConfiguration> {

    private static final String READY = "Payara Micro ";
    private static final String READY_SUFFIX = " ready in ";
    private static final String INSTANCE = "instance";

    private PayaraMicroConfiguration config;
    private Process process;
    private String deployedFingerprint;
    private Path console;

    @Override
    public Class<PayaraMicroConfiguration> getConfigurationClass() {
        return PayaraMicroConfiguration.class;
    }

    @Override
    public void setup(PayaraMicroConfiguration configuration) {
        this.config = configuration;
    }

    @Override
    public void start() {
        // The server boots with the first deployment (Payara Micro deploys at boot).
    }

    @Override
    public void stop() throws LifecycleException {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new LifecycleException("interrupted while stopping Payara Micro (pid " + process.pid() + ")", e);
        } finally {
            process = null;
            deployedFingerprint = null;
        }
    }

    @Override
    public ProtocolDescription getDefaultProtocol() {
        return new ProtocolDescription("Local");
    }

    @Override
    public ProtocolMetaData deploy(Archive<?> archive) throws DeploymentException {
        String fingerprint = fingerprint(archive);
        if (process != null && process.isAlive() && fingerprint.equals(deployedFingerprint)) {
            return metaData();
        }
        try {
            stop();
        } catch (LifecycleException e) {
            throw new DeploymentException("could not stop Payara Micro for the next deployment", e);
        }
        try {
            Path root = Path.of(config.getRootDir());
            Files.createDirectories(root);
            // A new instance directory per boot: the asadmin files create the pool, which must not exist yet.
            deleteTree(root.resolve(INSTANCE));
            Path war = root.resolve(archive.getName());
            archive.as(ZipExporter.class).exportTo(war.toFile(), true);
            console = root.resolve("console.log");
            ProcessBuilder builder = new ProcessBuilder(command(root, war))
                    .redirectErrorStream(true)
                    .redirectOutput(console.toFile());
            process = builder.start();
            Process started = process;
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "payara-micro-stop"));
            awaitReady();
            deployedFingerprint = fingerprint;
            return metaData();
        } catch (IOException e) {
            throw new DeploymentException("could not start Payara Micro", e);
        } catch (DeploymentException e) {
            try {
                stop();
            } catch (LifecycleException stopFailed) {
                e.addSuppressed(stopFailed);
            }
            throw e;
        }
    }

    @Override
    public void undeploy(Archive<?> archive) {
        // Stays deployed for the next test class (see the class comment); stop() ends the server.
    }

    private List<String> command(Path root, Path war) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (!config.getJavaVmArguments().isBlank()) {
            command.addAll(Arrays.asList(config.getJavaVmArguments().trim().split("\\s+")));
        }
        command.addAll(List.of(
                "-jar",
                config.getPayaraJar(),
                // No cluster, no data grid: one process, nothing listening beyond the two HTTP listeners.
                "--nohazelcast",
                "--port",
                String.valueOf(config.getHttpPort()),
                "--sslport",
                String.valueOf(config.getHttpsPort()),
                "--prebootcommandfile",
                config.getPrebootCommandFile(),
                "--postbootcommandfile",
                config.getPostbootCommandFile(),
                "--rootdir",
                root.resolve(INSTANCE).toString(),
                "--deploy",
                war.toString(),
                "--contextroot",
                "/"));
        if (!config.getAddLibs().isBlank()) {
            command.add("--addlibs");
            command.add(String.join(",", config.getAddLibs().split(File.pathSeparator)));
        }
        if (config.getLogFile() != null && !config.getLogFile().isBlank()) {
            command.add("--logtofile");
            command.add(config.getLogFile());
        }
        return command;
    }

    /** Until the console says the server is ready, then the WAR must answer (its own 404 problem for "/"). */
    private void awaitReady() throws DeploymentException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.getStartTimeoutSeconds());
        while (!bootFinished()) {
            if (!process.isAlive()) {
                throw new DeploymentException("Payara Micro exited with " + process.exitValue() + "; see " + console);
            }
            if (System.nanoTime() > deadline) {
                throw new DeploymentException(
                        "Payara Micro not ready after " + config.getStartTimeoutSeconds() + " s; see " + console);
            }
            sleep(500);
        }
        HttpResponse<String> probe = probe();
        String type = probe.headers().firstValue("Content-Type").orElse("");
        if (probe.statusCode() != 404 || !type.startsWith("application/problem+json")) {
            throw new DeploymentException("the WAR did not deploy on Payara Micro (GET / answered " + probe.statusCode()
                    + " " + type + "); see " + console);
        }
    }

    private boolean bootFinished() throws IOException {
        if (!Files.exists(console)) {
            return false;
        }
        return Files.readAllLines(console, StandardCharsets.UTF_8).stream()
                .anyMatch(line -> line.contains(READY) && line.contains(READY_SUFFIX));
    }

    private HttpResponse<String> probe() throws DeploymentException {
        try {
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(Https.trustAll()) // Payara's self-signed default certificate, trusted as the tests do
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            return client.send(
                    HttpRequest.newBuilder(URI.create(
                                    "https://" + config.getBindAddress() + ":" + config.getHttpsPort() + "/"))
                            .timeout(Duration.ofSeconds(30))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DeploymentException("Payara Micro does not answer on HTTPS port " + config.getHttpsPort(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeploymentException("interrupted", e);
        }
    }

    private ProtocolMetaData metaData() {
        return new ProtocolMetaData().addContext(new HTTPContext(config.getBindAddress(), config.getHttpsPort()));
    }

    /** SHA-256 over the archive's entry names and contents, in name order. */
    private static String fingerprint(Archive<?> archive) throws DeploymentException {
        try {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            var content = new java.util.TreeMap<String, org.jboss.shrinkwrap.api.Node>();
            archive.getContent().forEach((path, node) -> content.put(path.get(), node));
            for (var entry : content.entrySet()) {
                digest.update(entry.getKey().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                if (entry.getValue().getAsset() != null) {
                    try (var in = entry.getValue().getAsset().openStream()) {
                        digest.update(in.readAllBytes());
                    }
                }
            }
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (IOException | GeneralSecurityException e) {
            throw new DeploymentException("could not read the archive " + archive.getName(), e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void sleep(long millis) throws DeploymentException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeploymentException("interrupted", e);
        }
    }
}
