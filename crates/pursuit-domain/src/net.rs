//! Which addresses Pursuit may connect to on a user's behalf. A URL a user gives (a job
//! posting, later an outreach webhook) must never reach Pursuit's own host, the private
//! network it runs in, or a cloud provider's metadata service. The fetcher resolves a name,
//! asks [`refusal`] about every address, and connects only to one that passed; it asks
//! again on every redirect.
//!
//! IPv6 forms that carry an IPv4 address (IPv4-mapped `::ffff:a.b.c.d`, IPv4-compatible
//! `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) are judged by that IPv4 address, so
//! `::ffff:127.0.0.1` is loopback.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Why an address is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    Unspecified,
    Loopback,
    Private,
    /// Carrier-grade NAT space (100.64.0.0/10), private in practice.
    SharedAddressSpace,
    LinkLocal,
    CloudMetadata,
    Multicast,
    Broadcast,
    Documentation,
    Benchmarking,
    Reserved,
}

impl Refusal {
    /// Words for the problem a refused URL answers with.
    pub fn reason(self) -> &'static str {
        match self {
            Refusal::Unspecified => "an unspecified address (0.0.0.0 or ::)",
            Refusal::Loopback => "a loopback address (this machine itself)",
            Refusal::Private => "a private network address",
            Refusal::SharedAddressSpace => "a carrier-grade NAT address (100.64.0.0/10)",
            Refusal::LinkLocal => "a link-local address",
            Refusal::CloudMetadata => "a cloud metadata service address",
            Refusal::Multicast => "a multicast address",
            Refusal::Broadcast => "the broadcast address",
            Refusal::Documentation => "an address reserved for documentation",
            Refusal::Benchmarking => "an address reserved for benchmarking",
            Refusal::Reserved => "a reserved address",
        }
    }
}

/// `None` when Pursuit may connect to `ip` for a user; else why not.
pub fn refusal(ip: IpAddr) -> Option<Refusal> {
    match ip {
        IpAddr::V4(v4) => refusal_v4(v4),
        IpAddr::V6(v6) => refusal_v6(v6),
    }
}

/// Where a server a user names (their own AI provider, their own mailbox) may be: the name
/// is theirs, the network it reaches is the instance's. Public addresses only, unless the
/// operator allows private ones (a server beside Pursuit on one's own network); cloud
/// metadata services and the other refused kinds stay refused either way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AddressPolicy {
    /// Loopback and private addresses allowed (never metadata services).
    pub allow_private: bool,
}

impl AddressPolicy {
    /// Why `ip` may not be reached, if it may not.
    pub fn refusal(self, ip: IpAddr) -> Option<Refusal> {
        let why = refusal(ip)?;
        if self.allow_private && why.is_private() {
            None
        } else {
            Some(why)
        }
    }
}

impl Refusal {
    /// Loopback and private networks: what an operator may allow for users' own servers.
    pub fn is_private(self) -> bool {
        matches!(
            self,
            Refusal::Loopback | Refusal::Private | Refusal::SharedAddressSpace
        )
    }
}

/// Metadata services answer on addresses inside ranges refused anyway; they are named so
/// the refusal says what was really asked for.
const METADATA_V4: [Ipv4Addr; 3] = [
    Ipv4Addr::new(169, 254, 169, 254), // AWS, GCP, Azure, OpenStack, DigitalOcean…
    Ipv4Addr::new(169, 254, 170, 2),   // AWS ECS task metadata
    Ipv4Addr::new(100, 100, 100, 200), // Alibaba Cloud
];
const METADATA_V6: [Ipv6Addr; 1] = [Ipv6Addr::new(0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0254)]; // AWS

fn in_v4(ip: Ipv4Addr, net: [u8; 4], prefix: u32) -> bool {
    let mask = if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - prefix)
    };
    u32::from(ip) & mask == u32::from(Ipv4Addr::from(net)) & mask
}

fn refusal_v4(ip: Ipv4Addr) -> Option<Refusal> {
    if METADATA_V4.contains(&ip) {
        return Some(Refusal::CloudMetadata);
    }
    let ranges: [([u8; 4], u32, Refusal); 16] = [
        ([0, 0, 0, 0], 8, Refusal::Unspecified),
        ([10, 0, 0, 0], 8, Refusal::Private),
        ([100, 64, 0, 0], 10, Refusal::SharedAddressSpace),
        ([127, 0, 0, 0], 8, Refusal::Loopback),
        ([169, 254, 0, 0], 16, Refusal::LinkLocal),
        ([172, 16, 0, 0], 12, Refusal::Private),
        ([192, 0, 0, 0], 24, Refusal::Reserved),
        ([192, 0, 2, 0], 24, Refusal::Documentation),
        ([192, 88, 99, 0], 24, Refusal::Reserved),
        ([192, 168, 0, 0], 16, Refusal::Private),
        ([198, 18, 0, 0], 15, Refusal::Benchmarking),
        ([198, 51, 100, 0], 24, Refusal::Documentation),
        ([203, 0, 113, 0], 24, Refusal::Documentation),
        ([224, 0, 0, 0], 4, Refusal::Multicast),
        ([255, 255, 255, 255], 32, Refusal::Broadcast),
        ([240, 0, 0, 0], 4, Refusal::Reserved),
    ];
    ranges
        .iter()
        .find(|(net, prefix, _)| in_v4(ip, *net, *prefix))
        .map(|(_, _, refusal)| *refusal)
}

fn in_v6(ip: Ipv6Addr, net: Ipv6Addr, prefix: u32) -> bool {
    let mask = if prefix == 0 {
        0
    } else {
        u128::MAX << (128 - prefix)
    };
    u128::from(ip) & mask == u128::from(net) & mask
}

/// The IPv4 address an IPv6 address carries, for the forms that carry one.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let bits = u128::from(ip);
    let low32 = Ipv4Addr::from((bits & 0xffff_ffff) as u32);
    let v6 = |s: &str| s.parse::<Ipv6Addr>().unwrap_or(Ipv6Addr::UNSPECIFIED);
    if in_v6(ip, v6("::ffff:0:0"), 96) || in_v6(ip, v6("64:ff9b::"), 96) {
        return Some(low32);
    }
    // IPv4-compatible (deprecated): `::a.b.c.d`, but not `::` and `::1` themselves.
    if in_v6(ip, Ipv6Addr::UNSPECIFIED, 96) && bits > 1 {
        return Some(low32);
    }
    // 6to4: 2002:AABB:CCDD::/48 carries AA.BB.CC.DD.
    if in_v6(ip, v6("2002::"), 16) {
        return Some(Ipv4Addr::from(((bits >> 80) & 0xffff_ffff) as u32));
    }
    None
}

fn refusal_v6(ip: Ipv6Addr) -> Option<Refusal> {
    if METADATA_V6.contains(&ip) {
        return Some(Refusal::CloudMetadata);
    }
    if ip.is_unspecified() {
        return Some(Refusal::Unspecified);
    }
    if ip.is_loopback() {
        return Some(Refusal::Loopback);
    }
    if let Some(v4) = embedded_v4(ip) {
        return refusal_v4(v4);
    }
    let v6 = |s: &str| s.parse::<Ipv6Addr>().unwrap_or(Ipv6Addr::UNSPECIFIED);
    let ranges: [(&str, u32, Refusal); 8] = [
        ("fe80::", 10, Refusal::LinkLocal),
        ("fec0::", 10, Refusal::Private), // site-local, deprecated
        ("fc00::", 7, Refusal::Private),  // unique local
        ("ff00::", 8, Refusal::Multicast),
        ("2001:db8::", 32, Refusal::Documentation),
        ("3fff::", 20, Refusal::Documentation),
        ("2001:2::", 48, Refusal::Benchmarking),
        ("100::", 64, Refusal::Reserved), // discard-only
    ];
    ranges
        .iter()
        .find(|(net, prefix, _)| in_v6(ip, v6(net), *prefix))
        .map(|(_, _, refusal)| *refusal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Option<Refusal> {
        refusal(text.parse().unwrap())
    }

    #[test]
    fn public_addresses_pass() {
        for ok in [
            "8.8.8.8",
            "1.1.1.1",
            "93.184.216.34",
            "172.15.255.255",
            "172.32.0.1",
            "100.63.255.255",
            "100.128.0.0",
            "2606:4700:4700::1111",
            "2a00:1450:4001:80b::200e",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            assert_eq!(check(ok), None, "{ok}");
        }
    }

    #[test]
    fn loopback_private_and_link_local_are_refused_in_every_form() {
        use Refusal::*;
        let cases = [
            ("127.0.0.1", Loopback),
            ("127.255.0.9", Loopback),
            ("::1", Loopback),
            ("::ffff:127.0.0.1", Loopback),
            ("::127.0.0.1", Loopback),
            ("64:ff9b::7f00:1", Loopback),
            ("2002:7f00:1::", Loopback),
            ("0.0.0.0", Unspecified),
            ("::", Unspecified),
            ("10.1.2.3", Private),
            ("172.16.0.1", Private),
            ("172.31.255.255", Private),
            ("192.168.1.1", Private),
            ("::ffff:192.168.1.1", Private),
            ("fd12:3456::1", Private),
            ("100.64.0.1", SharedAddressSpace),
            ("169.254.1.1", LinkLocal),
            ("fe80::1", LinkLocal),
            ("169.254.169.254", CloudMetadata),
            ("::ffff:169.254.169.254", CloudMetadata),
            ("::ffff:a9fe:a9fe", CloudMetadata),
            ("169.254.170.2", CloudMetadata),
            ("100.100.100.200", CloudMetadata),
            ("fd00:ec2::254", CloudMetadata),
            ("224.0.0.1", Multicast),
            ("ff02::1", Multicast),
            ("255.255.255.255", Broadcast),
            ("240.0.0.1", Reserved),
            ("192.0.2.10", Documentation),
            ("2001:db8::1", Documentation),
            ("198.18.0.1", Benchmarking),
        ];
        for (address, expected) in cases {
            assert_eq!(check(address), Some(expected), "{address}");
        }
    }

    proptest::proptest! {
        /// Every IPv6 form that carries an IPv4 address is judged as that address.
        #[test]
        fn mapped_forms_judge_as_their_ipv4_address(bits in proptest::prelude::any::<u32>()) {
            let v4 = Ipv4Addr::from(bits);
            let mapped = v4.to_ipv6_mapped();
            let nat64 = Ipv6Addr::from((u128::from(0x0064_ff9b_u32) << 96) | u128::from(bits));
            let six_to_four = Ipv6Addr::from((0x2002_u128 << 112) | (u128::from(bits) << 80));
            proptest::prop_assert_eq!(refusal(IpAddr::V6(mapped)), refusal(IpAddr::V4(v4)));
            proptest::prop_assert_eq!(refusal(IpAddr::V6(nat64)), refusal(IpAddr::V4(v4)));
            proptest::prop_assert_eq!(refusal(IpAddr::V6(six_to_four)), refusal(IpAddr::V4(v4)));
        }
    }

    #[test]
    fn every_refusal_has_words() {
        assert!(Refusal::CloudMetadata.reason().contains("metadata"));
        assert!(Refusal::Loopback.reason().contains("loopback"));
    }
}
