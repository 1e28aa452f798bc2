/// The DNS name ENUM looks a number up under (RFC 6116 §2.4, §3.2).
///
/// The digits of the E.164 number, last first, each its own label, then the suffix: `+1-555-123-0000` under
/// `e164.arpa` is `0.0.0.0.3.2.1.5.5.5.1.e164.arpa`. The suffix is configurable because private ENUM trees
/// (carrier ENUM, the lab's dnsmasq) use their own.
public enum ENUMDomain {
    /// The public ENUM suffix.
    public static let publicSuffix = "e164.arpa"

    /// The domain for `number` under `suffix`, without a trailing dot (dots around the suffix are ignored).
    public static func name(for number: E164Number, suffix: String = publicSuffix) -> String {
        var labels = number.digits.reversed().map { String($0) }
        let trimmed = suffix.split(separator: ".", omittingEmptySubsequences: true).joined(separator: ".")
        if !trimmed.isEmpty { labels.append(trimmed) }
        return labels.joined(separator: ".")
    }
}
