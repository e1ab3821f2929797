package org.spreadjms.bench;

import jakarta.jms.ConnectionFactory;

/** A started server (Spread daemon or broker) in this JVM, listening on 127.0.0.1, and how to reach it by JMS. */
interface Host extends AutoCloseable {
    ConnectionFactory connectionFactory();

    /** One line for the report: what runs where, and which settings were changed from the defaults. */
    String describe();

    /** Stops the server; never throws. */
    @Override
    void close();
}
