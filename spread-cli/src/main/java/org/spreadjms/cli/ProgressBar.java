package org.spreadjms.cli;

import java.io.PrintWriter;

/** A one-line progress bar on a terminal stream, redrawn at most every percent. Used from one thread. */
final class ProgressBar {
    private static final int WIDTH = 40;
    private final PrintWriter out;
    private final long total;
    private int shownPercent = -1;

    ProgressBar(PrintWriter out, long total) {
        this.out = out;
        this.total = total;
    }

    void update(long done) {
        int percent = (int) (Math.min(done, total) * 100 / total);
        if (percent != shownPercent) {
            shownPercent = percent;
            int filled = percent * WIDTH / 100;
            out.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + percent + "%");
            if (done >= total) {
                out.println();
            }
            out.flush();
        }
    }
}
