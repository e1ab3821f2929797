package org.spreadjms.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.spreadjms.client.SpreadOptions;
import org.spreadjms.daemon.EmbeddedSpreadDaemon;
import org.spreadjms.jms.SpreadConnectionFactory;
import org.spreadjms.testcontainers.SpreadContainer;

/**
 * A Spread daemon the suites run against: the embedded daemon (always), or a real daemon image through
 * {@link SpreadContainer} (only where a Docker engine is present; elsewhere every use aborts the test with a message
 * saying so, which JUnit reports as skipped). Both start on first use and stop when the test run ends.
 */
abstract class SpreadTarget implements ExtensionContext.Store.CloseableResource {
    private static final AtomicInteger NAMES = new AtomicInteger();

    abstract String host();

    abstract int port();

    /** The daemon's JMS URI; these suites run without a store member, so in the storeless mode (storeAcks=0). */
    String jmsUrl() {
        return "spread://" + host() + ":" + port() + "?storeAcks=0";
    }

    SpreadConnectionFactory factory() {
        return new SpreadConnectionFactory(jmsUrl());
    }

    /** A factory with URI options, e.g. {@code rawMessagesAsText=true}. */
    SpreadConnectionFactory factory(String options) {
        return new SpreadConnectionFactory(jmsUrl() + "&" + options);
    }

    SpreadOptions.Builder raw() {
        return SpreadOptions.builder().daemon(host(), port());
    }

    /** A group or destination name not used by any other test of this run. */
    static String unique(String prefix) {
        return prefix + "." + NAMES.incrementAndGet();
    }

    static final class Embedded extends SpreadTarget {
        private EmbeddedSpreadDaemon daemon;

        private synchronized EmbeddedSpreadDaemon daemon() {
            if (daemon == null) {
                try {
                    daemon = EmbeddedSpreadDaemon.builder().port(0).bindAddress("127.0.0.1").build().start();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return daemon;
        }

        @Override
        String host() {
            return "127.0.0.1";
        }

        @Override
        int port() {
            return daemon().port();
        }

        @Override
        public synchronized void close() {
            if (daemon != null) {
                daemon.stop();
            }
        }

        @Override
        public String toString() {
            return "embedded daemon";
        }
    }

    static final class Container extends SpreadTarget {
        private static final boolean DOCKER = SpreadContainer.dockerAvailable();
        private SpreadContainer container;

        private synchronized SpreadContainer container() {
            Assumptions.assumeTrue(DOCKER, () -> "no Docker engine (DockerClientFactory.isDockerAvailable() is"
                    + " false): skipped the run against the Spread image '" + SpreadContainer.imageName()
                    + "'; the embedded-daemon run of this test covers the same behaviour");
            if (container == null) {
                SpreadContainer c = new SpreadContainer();
                c.start();
                container = c;
            }
            return container;
        }

        @Override
        String host() {
            return container().getHost();
        }

        @Override
        int port() {
            return container().getMappedPort(SpreadContainer.SPREAD_PORT);
        }

        @Override
        public synchronized void close() {
            if (container != null) {
                container.stop();
            }
        }

        @Override
        public String toString() {
            return "Spread image " + SpreadContainer.imageName();
        }
    }
}
