import GatehousePolicy
import SIPMessage

/// Whether a user agent sits behind NAT, judged from one request: what it says about itself (Contact, the top
/// Via's sent-by) against where the packet really came from.
///
/// The evidence mirrors what operators know from Kamailio's `nat_uac_test`, with one refinement: a private
/// address is evidence only when it is not the source itself (a UA on the same private network as Gatehouse is
/// not behind NAT). Over TCP and TLS the source port is the connection's and says nothing, so only hosts count.
public struct NATDetection: Sendable, Hashable, CustomStringConvertible {
    public enum Evidence: String, Sendable, Hashable, CaseIterable, Comparable {
        /// The Contact names a private or shared address (RFC 1918, RFC 6598, link-local, ULA) that is not the
        /// source.
        case contactIsPrivate = "contact-private"
        /// The Contact's address (or, over UDP, its port) is not where the request came from.
        case contactIsNotSource = "contact-not-source"
        /// The top Via's sent-by host is an address other than the source.
        case viaHostIsNotSource = "via-host-not-source"
        /// Over UDP, the top Via's sent-by port is not the source port (a NAT rewrote it).
        case viaPortIsNotSource = "via-port-not-source"

        public static func < (lhs: Evidence, rhs: Evidence) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var evidence: Set<Evidence>

    public init(evidence: Set<Evidence> = []) {
        self.evidence = evidence
    }

    /// Behind NAT: the UA's own idea of its address is not the one the network shows. A Contact that merely
    /// differs from the source (a multi-homed UA with a public address) is not enough on its own.
    public var isBehindNAT: Bool {
        !evidence.subtracting([.contactIsNotSource]).isEmpty
    }

    /// `contact-private,via-port-not-source`, or `none`.
    public var description: String {
        evidence.isEmpty ? "none" : evidence.sorted().map(\.rawValue).joined(separator: ",")
    }

    /// The evidence in a request from `source`: its Contact (nil for none or `*`) and its top Via.
    public static func judge(contact: URI?, topVia: Via?, source: SIPEndpoint) -> NATDetection {
        var evidence: Set<Evidence> = []
        let sourceAddress = IPAddress(parsing: source.host)
        let isDatagram = !source.transport.isStream
        if let contact = contact?.sipURI, let contactAddress = IPAddress(host: contact.host) {
            if contactAddress != sourceAddress {
                evidence.insert(.contactIsNotSource)
                if PrivateAddresses.contains(contactAddress) { evidence.insert(.contactIsPrivate) }
            } else if isDatagram, Int(contact.port ?? (contact.isSecure ? 5061 : 5060)) != source.port {
                evidence.insert(.contactIsNotSource)
            }
        }
        if let topVia, let viaAddress = IPAddress(host: topVia.host) {
            if viaAddress != sourceAddress {
                evidence.insert(.viaHostIsNotSource)
            } else if isDatagram, Int(topVia.portOrDefault) != source.port {
                evidence.insert(.viaPortIsNotSource)
            }
        }
        return NATDetection(evidence: evidence)
    }
}

/// The address blocks that are never reachable from the outside: what a NATed UA writes in its Contact.
enum PrivateAddresses {
    static let blocks: [IPPrefix] = [
        "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",  // RFC 1918
        "100.64.0.0/10",  // RFC 6598, carrier-grade NAT
        "169.254.0.0/16",  // RFC 3927, link-local
        "fc00::/7",  // RFC 4193, unique local
        "fe80::/10",  // RFC 4291, link-local
    ].map { text in
        let parts = text.split(separator: "/")
        return IPPrefix(network: IPAddress(parsing: String(parts[0]))!, length: Int(parts[1])!)!
    }

    static func contains(_ address: IPAddress) -> Bool {
        blocks.contains { $0.contains(address) }
    }
}

extension IPAddress {
    /// The address of a URI or Via host; nil for a name.
    init?(host: Host) {
        switch host {
        case .name: return nil
        case .ipv4(let address): self = .v4(address)
        case .ipv6(let address):
            // `[::ffff:192.0.2.1]` is the IPv4 address, as the packet's source is (`IPAddress(parsing:)`).
            self =
                address.isIPv4Mapped ? .v4(IPv4Address(value: UInt32(truncatingIfNeeded: address.low))) : .v6(address)
        }
    }
}
