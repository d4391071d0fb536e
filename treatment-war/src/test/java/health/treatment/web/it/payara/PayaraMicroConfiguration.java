package health.treatment.web.it.payara;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.arquillian.container.spi.ConfigurationException;
import org.jboss.arquillian.container.spi.client.container.ContainerConfiguration;

/**
 * The {@code payara-micro} container of arquillian.xml: which Payara Micro jar to run, its ports and the asadmin
 * command files that give it what a hospital's operator would configure (datasource, TLS, no clustering).
 * Arquillian sets the properties through the setters.
 */
public class PayaraMicroConfiguration implements ContainerConfiguration {

    private String payaraJar;
    private String prebootCommandFile;
    private String postbootCommandFile;
    /** Jars for the server's class path (the JDBC driver), separated by the platform's path separator. */
    private String addLibs = "";

    private String rootDir;
    private String logFile;
    private String bindAddress = "127.0.0.1";
    private int httpsPort = 8543;
    private int httpPort = 8089;
    private int startTimeoutSeconds = 240;
    private String javaVmArguments = "";

    @Override
    public void validate() throws ConfigurationException {
        requireFile("payaraJar", payaraJar);
        requireFile("prebootCommandFile", prebootCommandFile);
        requireFile("postbootCommandFile", postbootCommandFile);
        if (rootDir == null || rootDir.isBlank()) {
            throw new ConfigurationException("payara-micro: rootDir is required");
        }
    }

    private static void requireFile(String name, String value) {
        if (value == null || value.isBlank() || !Files.isRegularFile(Path.of(value))) {
            throw new ConfigurationException("payara-micro: " + name + " is not a file: " + value);
        }
    }

    public String getPayaraJar() {
        return payaraJar;
    }

    public void setPayaraJar(String payaraJar) {
        this.payaraJar = payaraJar;
    }

    public String getPrebootCommandFile() {
        return prebootCommandFile;
    }

    public void setPrebootCommandFile(String prebootCommandFile) {
        this.prebootCommandFile = prebootCommandFile;
    }

    public String getPostbootCommandFile() {
        return postbootCommandFile;
    }

    public void setPostbootCommandFile(String postbootCommandFile) {
        this.postbootCommandFile = postbootCommandFile;
    }

    public String getAddLibs() {
        return addLibs;
    }

    public void setAddLibs(String addLibs) {
        this.addLibs = addLibs;
    }

    public String getRootDir() {
        return rootDir;
    }

    public void setRootDir(String rootDir) {
        this.rootDir = rootDir;
    }

    public String getLogFile() {
        return logFile;
    }

    public void setLogFile(String logFile) {
        this.logFile = logFile;
    }

    public String getBindAddress() {
        return bindAddress;
    }

    public void setBindAddress(String bindAddress) {
        this.bindAddress = bindAddress;
    }

    public int getHttpsPort() {
        return httpsPort;
    }

    public void setHttpsPort(int httpsPort) {
        this.httpsPort = httpsPort;
    }

    public int getHttpPort() {
        return httpPort;
    }

    public void setHttpPort(int httpPort) {
        this.httpPort = httpPort;
    }

    public int getStartTimeoutSeconds() {
        return startTimeoutSeconds;
    }

    public void setStartTimeoutSeconds(int startTimeoutSeconds) {
        this.startTimeoutSeconds = startTimeoutSeconds;
    }

    public String getJavaVmArguments() {
        return javaVmArguments;
    }

    public void setJavaVmArguments(String javaVmArguments) {
        this.javaVmArguments = javaVmArguments;
    }
}
