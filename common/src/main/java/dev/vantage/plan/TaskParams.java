package dev.vantage.plan;

import dev.vantage.params.ParamNames;

/**
 * The task parameter names under their old home, for the code that still reads a task's parameters by name
 * (parts of the analysis and tests). The names are defined in {@link ParamNames}; new code reads and writes
 * parameters through the records of {@code dev.vantage.params}.
 *
 * @deprecated read a task's parameters with {@link dev.vantage.params.ProbeParams#read}; this class goes once
 *             the analysis does
 */
@Deprecated
public final class TaskParams {
    public static final String TRANSPORT = ParamNames.TRANSPORT;
    public static final String RESPONDER = ParamNames.RESPONDER;
    public static final String EXPECT_STATE = ParamNames.EXPECT_STATE;
    public static final String CHECK = ParamNames.CHECK;
    public static final String RECORD = ParamNames.RECORD;
    public static final String EXPECT = ParamNames.EXPECT;
    public static final String SERVER = ParamNames.SERVER;
    public static final String SNI = ParamNames.SNI;
    public static final String PUBLIC = ParamNames.PUBLIC;
    public static final String SCHEME = ParamNames.SCHEME;
    public static final String PATH = ParamNames.PATH;
    public static final String RATE = ParamNames.RATE;
    public static final String CONCURRENCY = ParamNames.CONCURRENCY;
    public static final String DURATION = ParamNames.DURATION;
    public static final String MAX_LOSS_PCT = ParamNames.MAX_LOSS_PCT;
    public static final String MAX_JITTER_MS = ParamNames.MAX_JITTER_MS;
    public static final String MIN_MOS = ParamNames.MIN_MOS;
    public static final String SERVE = ParamNames.SERVE;
    public static final String REQUIREMENTS = ParamNames.REQUIREMENTS;

    private TaskParams() {
    }
}
