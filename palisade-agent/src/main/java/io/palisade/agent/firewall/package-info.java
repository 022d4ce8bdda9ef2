/**
 * The device's embedded firewall: its policy (the gateway's ports out, declared services in and out, everything
 * else dropped and counted) rendered as one nftables table and applied atomically with {@code nft -f}; blocked
 * packets sampled from netfilter's packet log (NFLOG over netlink) and counted by named nftables counters, and
 * reported to the control plane in rate-limited windows.
 */
package io.palisade.agent.firewall;
