import SIPMessage

/// A usable ENUM answer: where to send the call, which record and service said so, and any portability data.
public struct ENUMTarget: Hashable, Sendable {
    /// The regexp's result: a SIP URI for `E2U+sip` and `E2U+pstn:sip`, a tel URI for `E2U+pstn:tel`.
    public var uri: URI
    /// The enumservice that matched.
    public var service: ENUMService
    /// The record it came from, for `explain`.
    public var record: ENUMRecord
    /// `npdi`, `rn` and `cic` of the result (RFC 4694, RFC 4769); empty when it carries none.
    public var portability: NumberPortability

    public init(uri: URI, service: ENUMService, record: ENUMRecord, portability: NumberPortability) {
        self.uri = uri
        self.service = service
        self.record = record
        self.portability = portability
    }
}

/// What the NAPTR records of one ENUM domain say about a number (RFC 6116 §3.2, RFC 3402 §3, RFC 3403 §4).
///
/// The caller (the resolver side, which may do I/O) looks up `ENUMDomain.name(for:suffix:)`, hands the records
/// here, and follows `.followReplacement` with another lookup, counting hops itself. This function does no I/O.
public enum ENUMResolution: Hashable, Sendable {
    /// A terminal record gave a target.
    case target(ENUMTarget)
    /// A non-terminal record (empty flags) points at another domain to query with the same number.
    case followReplacement(String)
    /// Nothing usable. The errors say why records that looked usable were skipped (bad regexp, too complex, bad
    /// target); records for other services are skipped silently.
    case noMatch([NumberingError])

    /// Picks the record to follow.
    ///
    /// Records are taken by `order`, then `preference` (lower first, RFC 3403 §4.1); the first one that yields a
    /// result wins, so a record of a higher order counts only when all lower ones failed. A terminal record (`u`
    /// flag) counts when its services are E2U with `sip` (RFC 3764), or `pstn:sip` / `pstn:tel` (RFC 4769) when
    /// `acceptsPortability`; its regexp is applied to the AUS, the number as `+CC…` (RFC 6116 §2.1), and the result
    /// must be a URI of the service's scheme. A record whose regexp is bad, too costly or yields no usable URI is
    /// skipped (RFC 6116 §5.1.2 asks clients to go on with the next). A non-terminal record (empty flags, services
    /// empty or E2U) yields its replacement, or its regexp's result when it has no replacement.
    public static func select(
        records: [ENUMRecord], number: E164Number, acceptsPortability: Bool = true,
        stepLimit: Int = ENUMSubstitution.defaultStepLimit
    ) -> ENUMResolution {
        let ordered = records.sorted { ($0.order, $0.preference) < ($1.order, $1.preference) }
        let subject = number.description
        var skipped: [NumberingError] = []
        for record in ordered {
            if record.isTerminal {
                guard let services = ENUMService.parse(record.services),
                    let service = services.first(where: { $0.isSIP || (acceptsPortability && $0.isPSTN) })
                else { continue }
                do throws(NumberingError) {
                    let uri = try terminalURI(record, service: service, subject: subject, stepLimit: stepLimit)
                    let target = ENUMTarget(
                        uri: uri, service: service, record: record, portability: NumberPortability(uri: uri))
                    return .target(target)
                } catch {
                    skipped.append(error)
                }
            } else if record.flags.isEmpty {
                guard record.services.isEmpty || ENUMService.parse(record.services) != nil else { continue }
                if record.hasReplacement {
                    return .followReplacement(trimmingTrailingDot(record.replacement))
                }
                do throws(NumberingError) {
                    let next = try NumberingError.catching(record) { () throws(NumberingError) -> String? in
                        try ENUMSubstitution(parsing: record.regexp).apply(to: subject, stepLimit: stepLimit)
                    }
                    if let next, !next.isEmpty { return .followReplacement(trimmingTrailingDot(next)) }
                } catch {
                    skipped.append(error)
                }
            }
        }
        return .noMatch(skipped)
    }

    private static func terminalURI(
        _ record: ENUMRecord, service: ENUMService, subject: String, stepLimit: Int
    ) throws(NumberingError) -> URI {
        let result = try NumberingError.catching(record) { () throws(NumberingError) -> String? in
            try ENUMSubstitution(parsing: record.regexp).apply(to: subject, stepLimit: stepLimit)
        }
        guard let result else {
            throw NumberingError(.enumBadTarget, "\(record): the regexp does not match \(subject)")
        }
        guard let uri = try? URI(parsing: result) else {
            throw NumberingError(.enumBadTarget, "\(record): '\(result)' is not a URI")
        }
        let wantsTel = service.isPSTN && service.subtypes == ["tel"]
        switch uri {
        case .sip where !wantsTel, .tel where wantsTel:
            return uri
        default:
            throw NumberingError(.enumBadTarget, "\(record): '\(result)' is not a \(wantsTel ? "tel" : "SIP") URI")
        }
    }

    private static func trimmingTrailingDot(_ name: String) -> String {
        name.utf8.last == UInt8(ascii: ".") ? String(decoding: name.utf8.dropLast(), as: UTF8.self) : name
    }
}

extension NumberingError {
    /// Runs `body`, naming `record` in any error it throws, so that `.noMatch` says which record was skipped.
    static func catching<T>(_ record: ENUMRecord, _ body: () throws(NumberingError) -> T) throws(NumberingError) -> T {
        do throws(NumberingError) {
            return try body()
        } catch {
            throw NumberingError(error.code, status: error.status, "\(record): \(error.detail)")
        }
    }
}
