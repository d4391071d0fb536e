package health.treatment.web.problem;

import static org.assertj.core.api.Assertions.assertThat;

import health.treatment.web.metrics.MetricsServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** web.xml's error pages and servlets, as the container reads them. */
class ErrorPagesTest {

    private static Document webXml() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(false);
        return f.newDocumentBuilder()
                .parse(Path.of("src/main/webapp/WEB-INF/web.xml").toFile());
    }

    private static List<Element> errorPages() throws Exception {
        NodeList nodes = webXml().getElementsByTagName("error-page");
        List<Element> pages = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            pages.add((Element) nodes.item(i));
        }
        return pages;
    }

    private static String child(Element e, String name) {
        NodeList n = e.getElementsByTagName(name);
        return n.getLength() == 0 ? null : n.item(0).getTextContent().trim();
    }

    /** A location-only ("default") error page breaks Payara's descriptor reader; every page names what it handles. */
    @Test
    void everyErrorPageNamesACodeOrAnExceptionTypeAndPointsAtTheProblemServlet() throws Exception {
        assertThat(errorPages()).isNotEmpty().allSatisfy(page -> {
            assertThat(child(page, "error-code") != null || child(page, "exception-type") != null)
                    .as("error-code or exception-type")
                    .isTrue();
            assertThat(child(page, "location")).isEqualTo(ProblemServlet.PATH);
        });
    }

    @Test
    void everyStatusOfTheVocabularyHasAnErrorPageAndUncaughtExceptionsToo() throws Exception {
        Set<Integer> codes = errorPages().stream()
                .map(p -> child(p, "error-code"))
                .filter(c -> c != null)
                .map(Integer::valueOf)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<Integer> vocabulary = Arrays.stream(ProblemKind.values())
                .map(ProblemKind::status)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(codes).isEqualTo(vocabulary);
        assertThat(errorPages())
                .anySatisfy(p -> assertThat(child(p, "exception-type")).isEqualTo("java.lang.Throwable"));
    }

    /**
     * Liberty refuses TRACE itself (403, empty body, before any filter or error page) for a servlet that keeps
     * HttpServlet's default doTrace, and refuses the error page's dispatch for it too.
     */
    @ParameterizedTest
    @ValueSource(classes = {NotFoundServlet.class, ProblemServlet.class, MetricsServlet.class})
    void everyServletOfTheWarDeclaresDoTrace(Class<? extends HttpServlet> servlet) throws Exception {
        assertThat(servlet.getDeclaredMethod("doTrace", HttpServletRequest.class, HttpServletResponse.class))
                .isNotNull();
    }
}
