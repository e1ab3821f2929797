package org.spreadjms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spreadjms.testcontainers.SpreadContainer;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SpreadContainerTest {
    @Test
    void imageNameComesFromTheSystemPropertyElseTheDefault() {
        String before = System.getProperty(SpreadContainer.IMAGE_PROPERTY);
        try {
            System.clearProperty(SpreadContainer.IMAGE_PROPERTY);
            assertEquals(SpreadContainer.DEFAULT_IMAGE, SpreadContainer.imageName());
            System.setProperty(SpreadContainer.IMAGE_PROPERTY, "example/spread:5");
            assertEquals("example/spread:5", SpreadContainer.imageName());
        } finally {
            if (before == null) {
                System.clearProperty(SpreadContainer.IMAGE_PROPERTY);
            } else {
                System.setProperty(SpreadContainer.IMAGE_PROPERTY, before);
            }
        }
    }

    @Test
    void configuresTheClientPortConfigAndCommand() {
        try (SpreadContainer c = new SpreadContainer("example/spread:5")) {
            assertEquals(java.util.List.of(SpreadContainer.SPREAD_PORT), c.getExposedPorts());
            assertEquals(java.util.List.of("spread", "-n", "localhost", "-c", SpreadContainer.CONFIG_PATH),
                    java.util.List.of(c.getCommandParts()));
            assertTrue(SpreadContainer.DEFAULT_CONFIG.contains("localhost 127.0.0.1"));
        }
    }

    @Test
    void startsARealDaemonWhereDockerIsPresent() throws Exception {
        Assumptions.assumeTrue(SpreadContainer.dockerAvailable(), () -> "no Docker engine: skipped starting the"
                + " Spread image '" + SpreadContainer.imageName() + "'");
        try (SpreadContainer c = new SpreadContainer()) {
            c.start();
            try (var raw = org.spreadjms.client.SpreadConnection.connect(
                    org.spreadjms.client.SpreadOptions.builder().daemon(c.getSpreadAddress()).build())) {
                assertTrue(raw.privateGroup().endsWith("#" + SpreadContainer.DAEMON_NAME));
            }
        }
    }
}
