package org.spreadjms.testcontainers;

import java.time.Duration;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * A real Spread daemon in a container, for tests that want the C daemon instead of the embedded one.
 *
 * <pre>{@code
 * try (SpreadContainer spread = new SpreadContainer()) {
 *     spread.start();
 *     ConnectionFactory cf = new SpreadConnectionFactory(spread.getSpreadUrl());
 *     ...
 * }
 * }</pre>
 *
 * <p><b>The image.</b> There is no official Spread Toolkit image. The default, {@value #DEFAULT_IMAGE}, is a name
 * for a community image that could not be verified where this class was written (no Docker engine there); set the
 * system property {@value #IMAGE_PROPERTY} or pass your own image. The image must have a {@code spread} binary on its
 * PATH; the container is started as {@code spread -n <daemon name> -c <config>} with a single-daemon
 * {@code spread.conf} copied in (see {@link #withConfig(String)} and {@link #withSpreadCommand(String...)} to change
 * either).
 */
public class SpreadContainer extends GenericContainer<SpreadContainer> {
    /** System property naming the image to use instead of {@link #DEFAULT_IMAGE}. */
    public static final String IMAGE_PROPERTY = "spread.image";
    /** The default image name (unverified: see the class comment). */
    public static final String DEFAULT_IMAGE = "spreadtoolkit/spread:4.4.0";
    /** Spread's client port. */
    public static final int SPREAD_PORT = 4803;
    /** Where the configuration is copied to in the container. */
    public static final String CONFIG_PATH = "/etc/spread/spread.conf";
    /** The daemon name the default configuration declares. */
    public static final String DAEMON_NAME = "localhost";

    /** One daemon on the container's loopback; clients reach its client port through the mapped port. */
    public static final String DEFAULT_CONFIG = String.join("\n",
            "Spread_Segment 127.0.0.255:" + SPREAD_PORT + " {",
            "    " + DAEMON_NAME + " 127.0.0.1",
            "}",
            "DebugFlags = { PRINT EXIT }",
            "");

    /** The image named by {@value #IMAGE_PROPERTY}, else {@link #DEFAULT_IMAGE}. */
    public SpreadContainer() {
        this(DockerImageName.parse(imageName()));
    }

    public SpreadContainer(String image) {
        this(DockerImageName.parse(image));
    }

    public SpreadContainer(DockerImageName image) {
        super(image);
        withExposedPorts(SPREAD_PORT);
        withConfig(DEFAULT_CONFIG);
        withSpreadCommand("spread", "-n", DAEMON_NAME, "-c", CONFIG_PATH);
        waitingFor(Wait.forListeningPort().withStartupTimeout(Duration.ofSeconds(60)));
    }

    /** The image this class would use: the {@value #IMAGE_PROPERTY} property, else {@link #DEFAULT_IMAGE}. */
    public static String imageName() {
        String p = System.getProperty(IMAGE_PROPERTY);
        return p == null || p.isBlank() ? DEFAULT_IMAGE : p.trim();
    }

    /** Whether a Docker engine is reachable (so {@link #start()} can work). */
    public static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Replaces the {@code spread.conf} copied to {@value #CONFIG_PATH}. */
    public SpreadContainer withConfig(String spreadConf) {
        return withCopyToContainer(Transferable.of(spreadConf), CONFIG_PATH);
    }

    /** Replaces the command that starts the daemon (for images with another layout or entry point). */
    public SpreadContainer withSpreadCommand(String... command) {
        return withCommand(command);
    }

    /** The daemon as a {@code spread://host:port} URI for {@code SpreadConnectionFactory}. */
    public String getSpreadUrl() {
        return "spread://" + getHost() + ":" + getMappedPort(SPREAD_PORT);
    }

    /** The daemon in Spread's {@code port@host} notation for the raw client. */
    public String getSpreadAddress() {
        return getMappedPort(SPREAD_PORT) + "@" + getHost();
    }
}
