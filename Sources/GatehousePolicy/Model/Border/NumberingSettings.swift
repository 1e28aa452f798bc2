/// How one peer writes telephone numbers, and which numbers it may reach, as the policy says it. The `Border`
/// module compiles it into a `PeerNumbering`; every field has the default shown (a NANP PBX).
public struct NumberingSettings: Sendable, Hashable {
    /// The places of a request numbers are read from and written to.
    public enum Field: String, Sendable, Hashable, CaseIterable {
        case requestURI = "request_uri"
        case from
        case to
        case pAssertedIdentity = "p_asserted_identity"
    }

    /// The form numbers are sent to the peer in.
    public enum Form: String, Sendable, Hashable, CaseIterable {
        /// `+15551230000`.
        case e164
        /// `15551230000` at home (national prefix and national number), international prefix and digits abroad.
        case national
        /// `5551230000` at home, international prefix and digits abroad.
        case nationalSignificant = "national_significant"
        /// `01115551230000`: the international prefix and all digits, always.
        case international
    }

    /// The URI scheme numbers are sent to the peer in.
    public enum URIForm: String, Sendable, Hashable, CaseIterable {
        /// `sip:+442079460000@host;user=phone` (RFC 3261 §19.1.6): a tel URI is carried in a SIP URI, and a SIP URI
        /// whose user is a global number is flagged.
        case sip
        /// `tel:+442079460000` (RFC 3966): a SIP URI carrying a number is written as the tel URI of that number.
        case tel
    }

    /// The peer's country code. Default 1.
    public var countryCode: Int
    /// The trunk prefix before a national number (`1` in NANP, `0` in most of Europe; empty for none). Default `1`.
    public var nationalPrefix: String
    /// The prefix before a country code (`011`, `00`; empty for none). Default `011`.
    public var internationalPrefix: String
    /// Digits in a national significant number. Default 10…10.
    public var nationalLengths: ClosedRange<Int>
    /// The form numbers leave toward this peer in. Default `.e164`.
    public var sendAs: Form
    /// Whether a SIP URI toward the peer whose user is an E.164 number (`+…`) is flagged `user=phone`
    /// (RFC 3261 §19.1.6). Default false.
    public var userPhone: Bool
    /// The scheme numbers leave toward this peer in, for the fields in `outbound`; nil (the default) keeps each URI's
    /// scheme (a tel From stays tel, the Request-URI and To are SIP URIs at the next hop).
    public var uriForm: URIForm?
    /// Fields rewritten to E.164 when a request comes from this peer. Default: all four.
    public var normalize: Set<Field>
    /// Fields whose numbers must pass validation when a request comes from this peer. Default: the Request-URI.
    public var validate: Set<Field>
    /// Fields written in `sendAs` when a request goes to this peer. Default: all four.
    public var outbound: Set<Field>
    /// Country codes the peer may call; nil (the default) for all.
    public var allowedCountryCodes: Set<Int>?
    /// National significant number lengths per country code, beyond E.164's own limits. Default: the peer's own
    /// country with `nationalLengths`.
    public var countryLengths: [Int: ClosedRange<Int>]
    /// E.164 prefixes refused (premium, fraud ranges): `+1900`. Default none.
    public var blockedPrefixes: [String]
    /// The status each refusal is answered with instead of its default (`number-too-short` → 484, …), by the
    /// numbering error code. Default none.
    public var rejectWith: [String: Int]
    /// Whether a SIP user of digits without `user=phone` counts as a number. Default true.
    public var numericUser: Bool

    public init(
        countryCode: Int = 1, nationalPrefix: String = "1", internationalPrefix: String = "011",
        nationalLengths: ClosedRange<Int> = 10...10, sendAs: Form = .e164, userPhone: Bool = false,
        uriForm: URIForm? = nil,
        normalize: Set<Field> = Set(Field.allCases), validate: Set<Field> = [.requestURI],
        outbound: Set<Field> = Set(Field.allCases), allowedCountryCodes: Set<Int>? = nil,
        countryLengths: [Int: ClosedRange<Int>]? = nil, blockedPrefixes: [String] = [],
        rejectWith: [String: Int] = [:], numericUser: Bool = true
    ) {
        self.countryCode = countryCode
        self.nationalPrefix = nationalPrefix
        self.internationalPrefix = internationalPrefix
        self.nationalLengths = nationalLengths
        self.sendAs = sendAs
        self.userPhone = userPhone
        self.uriForm = uriForm
        self.normalize = normalize
        self.validate = validate
        self.outbound = outbound
        self.allowedCountryCodes = allowedCountryCodes
        self.countryLengths = countryLengths ?? [countryCode: nationalLengths]
        self.blockedPrefixes = blockedPrefixes
        self.rejectWith = rejectWith
        self.numericUser = numericUser
    }
}
