package org.spreadjms.client.transport;

import java.io.IOException;
import java.time.Duration;

/** Opens transports; the default opens TCP sockets. */
@FunctionalInterface
public interface TransportFactory {
    TransportFactory TCP = SocketTransport::connect;

    /**
     * The local daemon's UNIX-domain socket {@code /tmp/<port>} when it exists, else TCP: what a bare port means in
     * Spread's C library.
     */
    TransportFactory LOCAL = (host, port, timeout) -> {
        java.nio.file.Path path = UnixSocketTransport.socketPath(port);
        if (java.nio.file.Files.exists(path)) {
            try {
                return UnixSocketTransport.connect(path);
            } catch (IOException e) {
                // a stale socket file: the daemon may still listen on TCP
            }
        }
        return SocketTransport.connect(host, port, timeout);
    };

    Transport connect(String host, int port, Duration timeout) throws IOException;
}
