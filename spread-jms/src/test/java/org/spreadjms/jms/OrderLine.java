package org.spreadjms.jms;

import java.io.Serializable;

/** A custom class for ObjectMessage tests: not on the default deserialization allowlist. */
record OrderLine(String sku, int quantity) implements Serializable {
}
