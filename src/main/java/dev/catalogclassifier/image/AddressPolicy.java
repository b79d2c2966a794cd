package dev.catalogclassifier.image;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which hosts a photo may be fetched from. A URL from a caller must not reach our own network (server-side
 * request forgery): loopback, private, link-local (cloud metadata at 169.254.169.254 included), carrier-grade NAT,
 * benchmarking (198.18.0.0/15), reserved and broadcast, unique-local IPv6 and unspecified addresses are refused, and
 * so is an IPv6 address that carries one of those (IPv4-mapped, IPv4-compatible, NAT64, 6to4) or whose IPv4 side is
 * hidden (Teredo), unless the host is allow-listed. The check runs on
 * every address the name resolves to, so one private record among public ones is enough to refuse.
 */
final class AddressPolicy {

    private final Set<String> allowed;

    AddressPolicy(List<String> allowedInternalHosts) {
        this.allowed = allowedInternalHosts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    /** Resolves {@code host} and refuses it if any address is internal and the host is not allow-listed. */
    void check(String host) throws ImageRejected {
        if (allowed.contains(host.toLowerCase(Locale.ROOT))) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new ImageRejected("unresolvable_host", "the photo's host does not resolve");
        }
        for (InetAddress address : addresses) {
            if (internal(address)) {
                throw new ImageRejected("forbidden_address",
                        "the photo's host resolves to an internal address, which is never fetched");
            }
        }
    }

    static boolean internal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128) // carrier-grade NAT
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    || (first == 198 && (second == 18 || second == 19)) // benchmarking, 198.18.0.0/15
                    || first >= 240; // reserved, and the broadcast address 255.255.255.255
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return true; // unique local fc00::/7
            }
            int from = embeddedIpv4(b);
            if (from == OPAQUE) {
                return true; // Teredo, local-use NAT64: where it leads cannot be read from the address
            }
            if (from >= 0) {
                try {
                    return internal(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, from, from + 4)));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }

    private static final int OPAQUE = -2;

    /**
     * Where an IPv6 address carries an IPv4 one that a host or gateway would reach: IPv4-mapped ({@code ::ffff:a.b.c.d})
     * and IPv4-compatible ({@code ::a.b.c.d}) at byte 12, NAT64's well-known prefix ({@code 64:ff9b::/96}) at 12,
     * 6to4 ({@code 2002::/16}) at 2; {@link #OPAQUE} for Teredo ({@code 2001::/32}) and local-use NAT64
     * ({@code 64:ff9b:1::/48}), whose IPv4 side cannot be read from the address; -1 for none.
     */
    private static int embeddedIpv4(byte[] b) {
        if (zeros(b, 0, 10) && ((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff || zeros(b, 10, 12))) {
            return 12;
        }
        if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            return zeros(b, 4, 12) ? 12 : OPAQUE; // 64:ff9b:1::/48, local-use NAT64, maps where the operator says
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            return 2;
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && b[2] == 0 && b[3] == 0) {
            return OPAQUE;
        }
        return -1;
    }

    private static boolean zeros(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
