package dev.vantage.agent.probe;

import java.io.Closeable;
import java.util.ArrayList;
import java.util.List;

/**
 * Where one probe run is, for the {@link TaskWatchdog} that guards it: the phase it is in ({@code resolve},
 * {@code connect}, {@code handshake}, {@code request}, {@code sweep}, ...) and the sockets it holds. When the run
 * overruns its deadline the watchdog {@linkplain #abort() aborts} it: every socket held is closed, so that a
 * thread blocked on one wakes up, and a socket opened afterwards is closed at once.
 */
public final class ProbeProgress {
    /** For runs nobody watches (the {@code probe} command, tests): it records nothing. */
    static final ProbeProgress UNWATCHED = new ProbeProgress(false);

    private final boolean watched;
    private final List<Closeable> held = new ArrayList<>();
    private volatile String phase = "start";
    private boolean aborted;

    public ProbeProgress() {
        this(true);
    }

    private ProbeProgress(boolean watched) {
        this.watched = watched;
    }

    /** The phase the run is in now; {@code start} before the probe has named one. */
    public String phase() {
        return phase;
    }

    void phase(String name) {
        if (watched) {
            phase = name;
        }
    }

    /** Keeps {@code resource} to close on {@link #abort()}; closes it at once when the run was aborted already. */
    <T extends Closeable> T hold(T resource) {
        if (!watched || resource == null) {
            return resource;
        }
        boolean late;
        synchronized (this) {
            late = aborted;
            if (!late) {
                held.add(resource);
            }
        }
        if (late) {
            TcpConnect.closeQuietly(resource);
        }
        return resource;
    }

    /** Closes every socket the run holds (and any it opens from now on). */
    public void abort() {
        List<Closeable> closing;
        synchronized (this) {
            aborted = true;
            closing = List.copyOf(held);
            held.clear();
        }
        closing.forEach(TcpConnect::closeQuietly);
    }
}
