package dev.vantage.agent.probe;

import dev.vantage.wire.TlsEvidence;

import javax.naming.InvalidNameException;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The names a certificate is valid for, read through the subject alternative name extension and,
 * for the common name, {@link LdapName} (so escaped commas and quotes in a distinguished name are
 * read as the text they are), and the certificates as the evidence shows them.
 */
final class CertificateNames {
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    private CertificateNames() {
    }

    /**
     * True when the leaf is valid for the SNI name (wildcards in the left-most label; the common
     * name only when there are no DNS names), or, without SNI, for the address literal probed.
     */
    static boolean matches(X509Certificate leaf, String sni, String address) {
        List<String> dnsNames;
        List<String> ips;
        try {
            dnsNames = alternativeNames(leaf, DNS_NAME);
            ips = alternativeNames(leaf, IP_ADDRESS);
        } catch (CertificateParsingException e) {
            return false;
        }
        if (sni != null) {
            if (dnsNames.isEmpty()) {
                String cn = commonName(leaf.getSubjectX500Principal());
                return cn != null && dnsMatch(cn, sni);
            }
            return dnsNames.stream().anyMatch(pattern -> dnsMatch(pattern, sni));
        }
        if (address != null) {
            try {
                // both are literals (the task's target and the extension's text): no lookup happens
                InetAddress want = InetAddress.getByName(address);
                for (String ip : ips) {
                    if (InetAddress.getByName(ip).equals(want)) {
                        return true;
                    }
                }
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * The most specific common name (the first in RFC 2253 order, also inside a multi-valued RDN),
     * unescaped; null when there is none or it is not text.
     */
    static String commonName(X500Principal subject) {
        List<Rdn> rdns;
        try {
            rdns = new LdapName(subject.getName(X500Principal.RFC2253)).getRdns();
        } catch (InvalidNameException e) {
            return null;
        }
        // LdapName lists the RDNs from the right (least specific) to the left
        for (int i = rdns.size() - 1; i >= 0; i--) {
            Attribute cn = rdns.get(i).toAttributes().get("CN");
            if (cn != null) {
                try {
                    return cn.get() instanceof String s ? s : null;
                } catch (NamingException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static List<String> alternativeNames(X509Certificate c, int type) throws CertificateParsingException {
        List<String> out = new ArrayList<>();
        Collection<List<?>> sans = c.getSubjectAlternativeNames();
        if (sans != null) {
            for (List<?> san : sans) {
                if (Integer.valueOf(type).equals(san.get(0))) {
                    out.add(String.valueOf(san.get(1)));
                }
            }
        }
        return out;
    }

    private static boolean dnsMatch(String pattern, String name) {
        String p = trimDot(pattern.toLowerCase(Locale.ROOT));
        String n = trimDot(name.toLowerCase(Locale.ROOT));
        if (p.startsWith("*.")) {
            int dot = n.indexOf('.');
            return dot > 0 && n.substring(dot + 1).equals(p.substring(2));
        }
        return p.equals(n);
    }

    private static String trimDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** The chain as evidence: names, validity, serial, fingerprint of each certificate. */
    static List<TlsEvidence.Certificate> describe(List<X509Certificate> chain) {
        List<TlsEvidence.Certificate> out = new ArrayList<>();
        for (X509Certificate c : chain) {
            List<String> sans = new ArrayList<>();
            try {
                Collection<List<?>> all = c.getSubjectAlternativeNames();
                for (List<?> san : all == null ? List.<List<?>>of() : all) {
                    if (Integer.valueOf(DNS_NAME).equals(san.get(0))) {
                        sans.add("DNS:" + san.get(1));
                    } else if (Integer.valueOf(IP_ADDRESS).equals(san.get(0))) {
                        sans.add("IP:" + san.get(1));
                    }
                }
            } catch (CertificateParsingException e) {
                sans.add("unparseable: " + e.getMessage());
            }
            String sha256;
            try {
                sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
            } catch (GeneralSecurityException e) {
                sha256 = null;
            }
            out.add(new TlsEvidence.Certificate(c.getSubjectX500Principal().getName(),
                    c.getIssuerX500Principal().getName(), c.getSerialNumber().toString(16),
                    c.getNotBefore().toInstant(), c.getNotAfter().toInstant(), sans, sha256,
                    ChainTrust.selfSigned(c)));
        }
        return out;
    }
}
