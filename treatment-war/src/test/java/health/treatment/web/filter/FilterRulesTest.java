package health.treatment.web.filter;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import org.junit.jupiter.api.Test;

class FilterRulesTest {

    @Test
    void dropsHeadersThatIdentifyTheProductOrCarryInternals() {
        assertThat(SecurityHeadersFilter.forbidden("X-Powered-By")).isTrue();
        assertThat(SecurityHeadersFilter.forbidden("Server")).isTrue();
        assertThat(SecurityHeadersFilter.forbidden("Content-Language")).isTrue();
        assertThat(SecurityHeadersFilter.forbidden("$WSEP")).isTrue();
        assertThat(SecurityHeadersFilter.forbidden(
                        "io.openliberty.restfulws.mpmetrics.MetricsRestfulWsEMCallbackImpl.Exception"))
                .isTrue();
        assertThat(SecurityHeadersFilter.forbidden("Location")).isFalse();
        assertThat(SecurityHeadersFilter.forbidden("Retry-After")).isFalse();
        assertThat(SecurityHeadersFilter.forbidden("WWW-Authenticate")).isFalse();
    }

    @RolesAllowed("auditor")
    static class Protected {
        public void inherits() {}

        @PermitAll
        public void open() {}
    }

    static class Mixed {
        @RolesAllowed("device")
        public void guarded() {}

        public void unguarded() {}
    }

    @Test
    void challengesOnlyMethodsThatNeedARole() throws Exception {
        assertThat(BearerChallengeFilter.isProtected(Protected.class, Protected.class.getMethod("inherits")))
                .isTrue();
        assertThat(BearerChallengeFilter.isProtected(Protected.class, Protected.class.getMethod("open")))
                .isFalse();
        assertThat(BearerChallengeFilter.isProtected(Mixed.class, Mixed.class.getMethod("guarded")))
                .isTrue();
        assertThat(BearerChallengeFilter.isProtected(Mixed.class, Mixed.class.getMethod("unguarded")))
                .isFalse();
    }
}
