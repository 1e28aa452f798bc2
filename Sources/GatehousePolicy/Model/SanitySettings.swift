import SIPMessage

/// What the border's sanity stage does with a message that fails a well-formedness check or comes from a known
/// scanner (the `sanity:` section; `policies/README.md` lists every check). Every field has the default shown, so a
/// policy without the section rejects malformed requests with each check's own status and drops scanners.
///
/// Node-wide: the section is top-level only, and applies to every realm alike.
public struct SanitySettings: Sendable, Hashable {
    /// What a message failing a check gets.
    public enum Action: String, Sendable, Hashable, CaseIterable {
        /// A response with the check's own status (400, 416, 481, 482, 483…).
        case reject
        /// Nothing.
        case drop
    }

    /// A check's stable code: what counters, logs, `explain` and replay verdicts show, and what `disable` names.
    /// Static lets on an open struct, so new checks never break a caller's `switch` (STYLE rule 4).
    public struct Check: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    /// Known scanners, and what they get.
    public struct Scanners: Sendable, Hashable {
        /// What a request from a scanner gets.
        public enum Action: Sendable, Hashable {
            /// Nothing: a scanner learns nothing, not even that something answers here.
            case drop
            /// A response with this status, 400–699.
            case reject(SIPStatus)
        }

        /// Default `.drop`.
        public var action: Action
        /// Whether the built-in list of scanner User-Agents and From/To markers is used. Default true.
        public var builtin: Bool
        /// User-Agent substrings added to the built-in list, matched without regard to ASCII case. Default none.
        public var userAgents: [String]

        public init(action: Action = .drop, builtin: Bool = true, userAgents: [String] = []) {
            self.action = action
            self.builtin = builtin
            self.userAgents = userAgents
        }
    }

    /// Default `.reject`.
    public var action: Action
    /// Checks the policy turns off; only those in `Check.optional`. Default none.
    public var disabled: Set<Check>
    public var scanners: Scanners

    public init(action: Action = .reject, disabled: Set<Check> = [], scanners: Scanners = Scanners()) {
        self.action = action
        self.disabled = disabled
        self.scanners = scanners
    }

    /// Whether the policy turned this check off (only checks in `Check.optional` can be).
    public func isDisabled(_ check: Check) -> Bool {
        disabled.contains(check) && Check.optional.contains(check)
    }
}

/// A realm's or a peer's own `sanity`: the action and the turned-off checks that differ from the node's, for a
/// peer that is known to be sloppy (an RFC 2543 PBX without From tags) or a realm whose senders must only be
/// dropped. Scanners stay the node's: a scanner is nobody's peer.
public struct SanityOverride: Sendable, Hashable {
    /// nil: the node's (or the realm's) action.
    public var action: SanitySettings.Action?
    /// nil: the node's (or the realm's) list; a set replaces it (empty: every check on).
    public var disabled: Set<SanitySettings.Check>?

    public init(action: SanitySettings.Action? = nil, disabled: Set<SanitySettings.Check>? = nil) {
        self.action = action
        self.disabled = disabled
    }
}

extension SanitySettings {
    /// These settings with what `override` sets in their place.
    public func overridden(by override: SanityOverride?) -> SanitySettings {
        var settings = self
        if let action = override?.action { settings.action = action }
        if let disabled = override?.disabled { settings.disabled = disabled }
        return settings
    }
}

extension SanitySettings.Check {
    /// A scanner's User-Agent or From/To marker.
    public static let scanner = Self(rawValue: "scanner")
    /// A header the request's method requires is missing (RFC 3261 §8.1.1, and per method: Contact, Event,
    /// Refer-To, RAck, Subscription-State), or a dialog-creating 2xx has no Contact. The same code `validate()` gives
    /// for the five headers it requires.
    public static let missingHeader = Self(rawValue: "missing-header")
    /// A header that may appear once appears twice. The same code as `validate()`'s.
    public static let duplicateHeader = Self(rawValue: "duplicate-header")
    /// A request without Max-Forwards (RFC 3261 §8.1.1; RFC 2543 elements omitted it).
    public static let missingMaxForwards = Self(rawValue: "missing-max-forwards")
    /// A request whose From has no tag (RFC 3261 §8.1.1.3; RFC 2543 elements omitted it).
    public static let missingFromTag = Self(rawValue: "missing-from-tag")
    /// A request that exists only inside a dialog (BYE, PRACK, UPDATE, INFO) without a To tag, or a dialog-creating
    /// 2xx without one.
    public static let missingToTag = Self(rawValue: "missing-to-tag")
    /// A Contact that cannot be a remote target: `*` outside REGISTER, or with other values or a non-zero Expires;
    /// more than one value or a non-SIP URI where a dialog is created (RFC 3261 §8.1.1.8, §10.2.2).
    public static let badContact = Self(rawValue: "bad-contact")
    /// A body without Content-Type (RFC 3261 §20.15).
    public static let missingContentType = Self(rawValue: "missing-content-type")
    /// A Via names one of this node's own addresses: the request has been here before (RFC 3261 §16.3 step 4).
    public static let loopDetected = Self(rawValue: "loop-detected")
    /// Max-Forwards is 0 (RFC 3261 §16.3 step 3). The same code as `validateForForwarding()`'s.
    public static let tooManyHops = Self(rawValue: "too-many-hops")

    /// The checks `sanity.disable` may turn off: those an older or sloppier peer may fail without being hostile
    /// (RFC 2543 elements, a carrier that hairpins calls back through the node). The rest guard the node itself.
    public static let optional: [Self] = [
        .missingMaxForwards, .missingFromTag, .missingToTag, .badContact, .missingContentType, .loopDetected,
    ]
}
