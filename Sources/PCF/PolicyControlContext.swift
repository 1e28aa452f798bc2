/// Who a leg of the session belongs to, as rules match it: the realm it is on, the peer at its far end, and its
/// party's identity (the number or URI after normalization) for the subscriber class.
public struct PolicyControlContext: Sendable, Hashable {
    public var realm: String
    /// nil: an address no peer owns (a handset, a UE).
    public var peer: String?
    /// The leg's party: `+15550100001`, `sip:alice@ims.gatehouse.test`; nil when unknown.
    public var party: String?

    public init(realm: String, peer: String?, party: String?) {
        self.realm = realm
        self.peer = peer
        self.party = party
    }

    /// The number in `tel:+1555…`, `sip:+1555…@host;user=phone` or a bare `+1555…`; nil for other users.
    public static func number(in party: String) -> String? {
        var text = Substring(party)
        for scheme in ["tel:", "sip:", "sips:"] where text.lowercased().hasPrefix(scheme) {
            text = text.dropFirst(scheme.count)
        }
        let user = text.prefix { $0 != "@" && $0 != ";" && $0 != "?" }
        return isNumber(String(user)) ? String(user) : nil
    }

    /// Digits with an optional leading `+`.
    public static func isNumber(_ text: String) -> Bool {
        let digits = text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
