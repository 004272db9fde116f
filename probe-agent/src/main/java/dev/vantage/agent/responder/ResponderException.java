package dev.vantage.agent.responder;

/** The responder could not open what it was asked to; the message says which port and what to do. */
public class ResponderException extends Exception {
    public ResponderException(String message, Throwable cause) {
        super(message, cause);
    }
}
