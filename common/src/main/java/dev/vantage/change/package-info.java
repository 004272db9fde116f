/**
 * The change request: from a survey's {@link dev.vantage.analysis.Analysis}, the exact changes each device or
 * service owner must make, traced to the requirements and the evidence behind them.
 *
 * <p>Entry point: {@link dev.vantage.change.ChangeRequests#write}. Pure, like the analysis: the same analysis, site
 * and catalog give the same {@link dev.vantage.change.ChangeRequest}. Used by the coordinator when a survey
 * completes and by the agent's standalone {@code check}; described in {@code docs/change-request.md}.
 *
 * <p>The model is vendor-neutral: a {@link dev.vantage.change.Change} names its device
 * ({@link dev.vantage.change.DeviceKind}), its kind ({@link dev.vantage.change.ChangeKind}) and the facts (a
 * {@link dev.vantage.change.Flow}, a {@link dev.vantage.change.DnsRecord}) in data and in one plain-language line.
 * Device-specific configuration comes from a {@link dev.vantage.change.Dialect} ({@link
 * dev.vantage.change.Nftables} is the first); the model itself knows no dialect. What cannot become a change
 * (inconclusive, untested, a failure no rule could place) is a {@link dev.vantage.change.ToVerify} saying what would
 * decide it.
 *
 * <p>Where the rules live: the device and kind of each failing check in {@code ChangeRules} (firewalls and NAT), {@code
 * DnsChanges} and {@code OwnerChanges} (what a person must do in words); merging checks into changes in {@code Draft};
 * the plain-language lines in {@code ChangeLines}; what would decide an open question in {@code Verifications}.
 */
package dev.vantage.change;
