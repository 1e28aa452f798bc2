/// A preference from 0 to 1 with up to three decimals: a Contact's `q` (RFC 3261 §20.10) and a Security-Client's
/// `q` (RFC 3329 §2.2).
///
/// ```
/// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
/// ```
///
/// Held as thousandths, so comparisons are exact: `0.7` equals `0.700`.
public struct QValue: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The value in thousandths, 0–1000.
    public let thousandths: Int

    public static let zero = QValue(uncheckedThousandths: 0)
    public static let one = QValue(uncheckedThousandths: 1000)

    /// A q-value from thousandths; nil outside 0–1000.
    public init?(thousandths: Int) {
        guard (0...1000).contains(thousandths) else { return nil }
        self.thousandths = thousandths
    }

    private init(uncheckedThousandths: Int) { self.thousandths = uncheckedThousandths }

    /// Parses `qvalue`; nil when the text does not match the grammar.
    public init?(parsing text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, first == UInt8(ascii: "0") || first == UInt8(ascii: "1") else { return nil }
        var value = Int(first - UInt8(ascii: "0")) * 1000
        if bytes.count > 1 {
            let decimals = bytes.dropFirst(2)
            guard bytes[1] == UInt8(ascii: "."), decimals.count <= 3, decimals.allSatisfy(ASCII.isDigit) else {
                return nil
            }
            var scale = 100
            for digit in decimals {
                value += Int(digit - UInt8(ascii: "0")) * scale
                scale /= 10
            }
            guard value <= 1000 else { return nil }
        }
        self.thousandths = value
    }

    /// The shortest text: `1`, `0`, `0.7`, `0.125`.
    public var description: String {
        if thousandths == 1000 { return "1" }
        if thousandths == 0 { return "0" }
        var digits = String(thousandths)
        digits = String(repeating: "0", count: 3 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "0." + digits
    }

    public static func < (lhs: QValue, rhs: QValue) -> Bool { lhs.thousandths < rhs.thousandths }
}
