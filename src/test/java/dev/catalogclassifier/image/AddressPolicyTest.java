package dev.catalogclassifier.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which addresses a caller's photo URL may not lead to (server-side request forgery), and which it may. */
class AddressPolicyTest {

    @ParameterizedTest
    @ValueSource(strings = { "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
            "0.0.0.0", "192.0.0.8", "198.18.0.1", "198.19.255.254", "255.255.255.255", "240.0.0.1", "224.0.0.1",
            "::1", "::", "fc00::1", "fe80::1", "::ffff:127.0.0.1", "::127.0.0.1", "::10.0.0.1", "64:ff9b::127.0.0.1",
            "64:ff9b::a9fe:a9fe", "64:ff9b:1::1", "2002:7f00:1::1", "2002:a00:1::", "2001:0:4136:e378:8000:63bf:3fff:fdd2" })
    void internalAddressesAreRefused(String address) throws Exception {
        assertThat(AddressPolicy.internal(InetAddress.getByName(address))).as(address).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "8.8.8.8", "151.101.1.140", "198.20.0.1", "2606:4700::1111", "64:ff9b::808:808",
            "2002:808:808::1", "::ffff:8.8.8.8" })
    void publicAddressesAreFetched(String address) throws Exception {
        assertThat(AddressPolicy.internal(InetAddress.getByName(address))).as(address).isFalse();
    }

    @org.junit.jupiter.api.Test
    void aHostOnTheAllowListIsFetchedWhateverItResolvesTo() throws Exception {
        new AddressPolicy(List.of("localhost")).check("LOCALHOST");
    }
}
