package dev.vantage.params;

import javax.net.ssl.SNIHostName;

/** The name a TLS client sends (SNI): the task's {@code sni}, else the target when it is a name, never an address. */
final class ServerName {
    private ServerName() {
    }

    /** The {@code sni} parameter, checked to be a host name SNI can carry; null when absent. */
    static String read(ParamReader in, String name) {
        String sni = in.text(name);
        if (sni == null) {
            return null;
        }
        if (isAddressLiteral(sni)) {
            throw in.bad(name, sni, "is an address; SNI carries host names only");
        }
        try {
            new SNIHostName(sni);
        } catch (IllegalArgumentException e) {
            throw in.bad(name, sni, "is not a host name SNI can carry (" + e.getMessage() + ")");
        }
        return sni;
    }

    /** The name to send to {@code target}: {@code sni} when set, else the target when it is a name, else null. */
    static String forTarget(String sni, String target) {
        if (sni != null) {
            return sni;
        }
        return target == null || isAddressLiteral(target) ? null : target;
    }

    /** True for an IPv4 or IPv6 address literal (with or without brackets), false for a host name. */
    static boolean isAddressLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }
}
