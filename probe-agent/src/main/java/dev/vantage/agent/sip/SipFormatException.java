package dev.vantage.agent.sip;

/** Bytes that are not a SIP message; turned into {@link SipReader.Malformed} before it leaves this package. */
final class SipFormatException extends Exception {
    SipFormatException(String message) {
        super(message);
    }
}
