package dev.vantage.params;

/** A parameter value out of a fixed set; the enums of this package implement it. */
interface Choice {
    /** How the value is written on the wire; read back ignoring case. */
    String wireName();
}
