import IMSInterfaces
import SIPMessage
import SIPStack

/// The notifier side of the registration event package (RFC 3680, RFC 6665; TS 24.229 §5.4.2.1): the S-CSCF
/// tells the UE and its P-CSCF about the registration state of the UE's identities. The assembly drives it.
///
/// ```
///   SUBSCRIBE (Event: reg) ─► handleSubscribe ─► 200 + NOTIFY (full state, version 0)   or 489/400/480/403/423/…
///   registrar change       ─► notifications    ─► NOTIFY to each subscription watching one of the set's identities
///   time                   ─► expire           ─► NOTIFY terminated;reason=timeout
///   NOTIFY answered 481…   ─► notifyAnswered   ─► subscription removed
/// ```
///
/// A value with one `mutating func` per event; it sends nothing and reads no clock. Every NOTIFY carries full state
/// (RFC 3680 §4.7 allows it always), which the subscriber can apply without having seen the ones before.
///
/// Bounded: at most `maxSubscriptions` in all and `maxSubscriptionsPerIdentity` per watched identity. A new
/// subscription beyond the per-identity cap replaces that identity's oldest one silently (a rebooted UE
/// subscribes anew without ending its old subscription; the old subscriber's next refresh gets 481, and it
/// subscribes again, RFC 6665 §4.1.2.2); beyond the overall cap, 503.
public struct RegEventNotifier: Sendable {
    public struct Configuration: Hashable, Sendable {
        /// The notifier's Contact, `sip:scscf.ims.gatehouse.test`: the target of the subscriber's refreshes.
        public var contactURI: String
        /// The shortest subscription accepted; a shorter non-zero Expires is answered 423 (RFC 6665 §4.2.1.1).
        public var minExpires: UInt32
        /// The duration when the SUBSCRIBE names none: 3761 s (RFC 3680 §4.4).
        public var defaultExpires: UInt32
        /// The longest duration granted; a longer request is shortened (RFC 6665 §4.2.1.1). 600 000 s is what UEs
        /// and P-CSCFs ask for (TS 24.229 §5.1.1.3, §5.2.3), so they get it.
        public var maxExpires: UInt32
        /// Subscriptions in all.
        public var maxSubscriptions: Int
        /// Subscriptions to one identity: the UE and its P-CSCF need one each, with room for a few devices.
        public var maxSubscriptionsPerIdentity: Int

        public init(
            contactURI: String, minExpires: UInt32 = 60, defaultExpires: UInt32 = 3761, maxExpires: UInt32 = 600_000,
            maxSubscriptions: Int = 10_000, maxSubscriptionsPerIdentity: Int = 8
        ) {
            self.contactURI = contactURI
            self.minExpires = minExpires
            self.defaultExpires = defaultExpires
            self.maxExpires = maxExpires
            self.maxSubscriptions = maxSubscriptions
            self.maxSubscriptionsPerIdentity = maxSubscriptionsPerIdentity
        }
    }

    public let configuration: Configuration
    let random: @Sendable (Int) -> [UInt8]
    var subscriptions: [DialogID: RegEventSubscription] = [:]
    /// The creation order of the next subscription.
    var nextOrder: UInt64 = 0

    /// - Parameter random: `count` random bytes (the notifier's dialog tags are made from them).
    public init(configuration: Configuration, random: @escaping @Sendable (Int) -> [UInt8]) {
        self.configuration = configuration
        self.random = random
    }

    public var subscriptionCount: Int { subscriptions.count }

    /// The notifier's Contact as a header value.
    var contact: NameAddress {
        (try? URI(parsing: configuration.contactURI)).map { NameAddress(uri: $0) }
            ?? NameAddress(uri: .other(scheme: "sip", value: configuration.contactURI))
    }

    /// A fresh dialog tag: 64 random bits, hex.
    func makeTag() -> String {
        let digits = Array("0123456789abcdef")
        return String(random(8).flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] })
    }

    /// The subscriptions in creation order.
    var subscriptionsInOrder: [RegEventSubscription] {
        subscriptions.values.sorted { $0.order < $1.order }
    }
}
