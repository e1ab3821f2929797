package org.spreadjms.camel;

import org.apache.camel.CamelContext;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

/** A CamelContext per test with the {@code spread} component pointed at the embedded daemon of the test class. */
abstract class SpreadTestSupport extends CamelTestSupport {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    /** The daemon's URI; these tests run without a store member, so in the storeless mode (storeAcks=0). */
    static String url() {
        return "spread://127.0.0.1:" + daemon.port() + "?storeAcks=0";
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getComponent("spread", SpreadComponent.class).setUrl(url());
        return context;
    }
}
