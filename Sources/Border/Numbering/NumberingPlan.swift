/// How one peer writes numbers: its country, its trunk and international prefixes, the length of its national
/// numbers, and the form it wants numbers sent in.
///
/// A PBX in the NANP dials `5551230000`, `15551230000` or `0114420…`; a UK trunk dials `020…` or `0033…`. The plan
/// turns each into one `E164Number` on the way in (`normalize`) and back into the peer's form on the way out
/// (`denormalize`). Defaults describe the lab's NANP PBX.
public struct NumberingPlan: Hashable, Sendable {
    /// The peer's country code: 1 for NANP, 44 for the UK.
    public var countryCode: Int
    /// The trunk prefix dialled before a national number: `1` in NANP, `0` in most of Europe; empty when none.
    public var nationalPrefix: String
    /// The prefix dialled before a country code: `011` in NANP, `00` in Europe; empty when the peer never dials one.
    public var internationalPrefix: String
    /// How many digits a national significant number has: 10...10 in NANP, 9...10 in the UK.
    public var nationalNumberLengths: ClosedRange<Int>
    /// Whether `-`, `.`, `(`, `)` (RFC 3966 §5.1.1 visual separators) and spaces are removed before anything else.
    public var stripsVisualSeparators: Bool
    /// Whether a leading `+` marks an international number; when false, a `+` makes the input not a number.
    public var acceptsLeadingPlus: Bool
    /// The form `denormalize(_:)` writes numbers in for this peer.
    public var outboundFormat: NumberFormat

    /// The written forms of a number.
    public enum NumberFormat: Hashable, Sendable {
        /// `+15551230000`: E.164 with its `+`.
        case e164
        /// `15551230000`, `02079460000`: the national prefix and the national number for the plan's own country,
        /// the international prefix and all digits for others.
        case national
        /// `5551230000`: the national number alone for the plan's own country (what NANP PBXs dial), the
        /// international prefix and all digits for others.
        case nationalSignificant
        /// `0114420…`, `00442079460000`: the international prefix and all digits, even at home.
        case international
    }

    public init(
        countryCode: Int = 1, nationalPrefix: String = "1", internationalPrefix: String = "011",
        nationalNumberLengths: ClosedRange<Int> = 10...10, stripsVisualSeparators: Bool = true,
        acceptsLeadingPlus: Bool = true, outboundFormat: NumberFormat = .e164
    ) {
        self.countryCode = countryCode
        self.nationalPrefix = nationalPrefix
        self.internationalPrefix = internationalPrefix
        self.nationalNumberLengths = nationalNumberLengths
        self.stripsVisualSeparators = stripsVisualSeparators
        self.acceptsLeadingPlus = acceptsLeadingPlus
        self.outboundFormat = outboundFormat
    }

    /// NANP: CC 1, trunk prefix 1, international prefix 011, ten-digit national numbers.
    public static let northAmerica = NumberingPlan()

    /// The United Kingdom: CC 44, trunk prefix 0, international prefix 00, nine- or ten-digit national numbers.
    public static let unitedKingdom = NumberingPlan(
        countryCode: 44, nationalPrefix: "0", internationalPrefix: "00", nationalNumberLengths: 9...10)

    /// The country code's digits.
    var countryCodeDigits: String { String(countryCode) }
}
