package health.treatment.web.it;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The deployment under test: the packaged WAR itself, exactly as it ships. */
final class Deployments {

    private Deployments() {}

    static WebArchive war() {
        File war = new File(System.getProperty("it.war", "target/treatment.war"));
        return ShrinkWrap.create(ZipImporter.class, "treatment.war")
                .importFrom(war)
                .as(WebArchive.class);
    }
}
