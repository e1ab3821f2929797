package org.spreadjms.client.transport;

import java.io.IOException;
import java.time.Duration;

/** Opens transports; the default opens TCP sockets. */
@FunctionalInterface
public interface TransportFactory {
    TransportFactory TCP = SocketTransport::connect;

    Transport connect(String host, int port, Duration timeout) throws IOException;
}
