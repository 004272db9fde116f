package dev.vantage.params;

import java.util.Locale;

/** Parameter {@code transport}: what a sip probe speaks over, or what a nat probe or a responder uses. */
public enum Transport implements Choice {
    UDP, TCP, TLS;

    @Override
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
