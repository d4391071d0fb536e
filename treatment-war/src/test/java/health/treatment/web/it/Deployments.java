package health.treatment.web.it;

import java.io.File;
import java.util.List;
import org.jboss.shrinkwrap.api.ArchivePath;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The deployment under test: the packaged WAR itself, exactly as it ships. */
final class Deployments {

    /**
     * PHASE 1 ONLY (delete in phase 2): the persistence package needs the audit jar's migrations, which arrive in
     * phase 2; until then the server-infrastructure tests run without it.
     */
    private static final boolean PHASE1_WITHOUT_PERSISTENCE = true;

    private Deployments() {
    }

    static WebArchive war() {
        File war = new File(System.getProperty("it.war", "target/treatment.war"));
        WebArchive archive = ShrinkWrap.create(ZipImporter.class, "treatment.war").importFrom(war).as(WebArchive.class);
        if (PHASE1_WITHOUT_PERSISTENCE) {
            List<ArchivePath> paths = archive.getContent().keySet().stream()
                    .filter(p -> p.get().startsWith("/WEB-INF/classes/health/treatment/web/persistence/")
                            || p.get().equals("/WEB-INF/classes/META-INF/persistence.xml"))
                    .toList();
            paths.forEach(archive::delete);
        }
        return archive;
    }
}
