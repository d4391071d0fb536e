package health.treatment.web.it;

/**
 * Which server runs the suite. Only for the few answers that differ by the server's own design, each listed in
 * docs/portability.md; everything else is asserted the same way on both.
 */
final class Servers {

    /** JUnit tag of tests of Liberty's own container behaviour (its endpoints, TRACE, URI decoding): not on Payara. */
    static final String LIBERTY_ONLY = "liberty-only";
    /** JUnit tag of tests that pin what Payara Micro does instead: run by it-payara only. */
    static final String PAYARA_ONLY = "payara-only";

    private Servers() {}

    static boolean payara() {
        return "payara-micro".equals(System.getProperty("arquillian.launch"));
    }
}
