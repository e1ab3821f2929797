package org.spreadjms.daemon.junit;

import java.util.function.Consumer;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.spreadjms.daemon.EmbeddedSpreadDaemon;

/**
 * Runs an {@link EmbeddedSpreadDaemon} on a free port of 127.0.0.1 for the duration of a test class.
 *
 * <pre>{@code
 * @RegisterExtension
 * static SpreadDaemonExtension daemon = new SpreadDaemonExtension();
 *
 * @Test
 * void sends() {
 *     connect to daemon.port() ...
 * }
 * }</pre>
 *
 * <p>Test methods and constructors may also declare an {@code EmbeddedSpreadDaemon} parameter. With
 * {@code @ExtendWith(SpreadDaemonExtension.class)} the default daemon is used. Nested classes share the daemon of
 * the class that started it.
 *
 * <p>For checks against a real Spread daemon, set the system property {@value #EXTERNAL_PORT_PROPERTY} to the port of
 * a daemon on 127.0.0.1: then nothing is started, {@link #port()} returns that port, and tests that need the embedded
 * daemon object ({@link #daemon()}) fail with a clear message. CI never sets it.
 */
public final class SpreadDaemonExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    /** System property naming the port of an external daemon on 127.0.0.1 to test against instead. */
    public static final String EXTERNAL_PORT_PROPERTY = "spread.test.externalPort";

    private final Consumer<EmbeddedSpreadDaemon.Builder> options;
    private EmbeddedSpreadDaemon daemon;
    private String ownerId;

    /** A daemon with the default options. */
    public SpreadDaemonExtension() {
        this(b -> { });
    }

    /** A daemon with options set by {@code options} (the port stays 0: a free one). */
    public SpreadDaemonExtension(Consumer<EmbeddedSpreadDaemon.Builder> options) {
        this.options = options;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (daemon != null || externalPort() > 0) {
            return;
        }
        EmbeddedSpreadDaemon.Builder builder = EmbeddedSpreadDaemon.builder();
        options.accept(builder);
        builder.port(0);
        daemon = builder.build().start();
        ownerId = context.getUniqueId();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (daemon != null && context.getUniqueId().equals(ownerId)) {
            daemon.stop();
            daemon = null;
            ownerId = null;
        }
    }

    /** The running daemon. */
    public EmbeddedSpreadDaemon daemon() {
        if (externalPort() > 0) {
            throw new IllegalStateException("this test needs the embedded daemon; it cannot run against the external"
                    + " daemon on port " + externalPort());
        }
        if (daemon == null) {
            throw new IllegalStateException("the Spread daemon runs only while the test class runs");
        }
        return daemon;
    }

    /** The daemon's port. */
    public int port() {
        int external = externalPort();
        return external > 0 ? external : daemon().port();
    }

    /** Whether tests run against an external daemon ({@value #EXTERNAL_PORT_PROPERTY}). */
    public boolean isExternal() {
        return externalPort() > 0;
    }

    private static int externalPort() {
        String p = System.getProperty(EXTERNAL_PORT_PROPERTY);
        return p == null || p.isBlank() ? 0 : Integer.parseInt(p.trim());
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedSpreadDaemon.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (daemon == null) {
            throw new ParameterResolutionException("the Spread daemon is not running (register "
                    + SpreadDaemonExtension.class.getSimpleName() + " on a static field or with @ExtendWith)");
        }
        return daemon;
    }
}
