import SDP

/// Gatehouse's own `o=` line on each leg of an anchored call (pure).
///
/// The `o=` username and session id are the sender's identity (often its user name and a counter or clock of its
/// host); passed across, they would tell one side who and what the other is. So each leg sees Gatehouse as the
/// originator of every description it receives: username `-` (RFC 8866 §5.2: no user ids), a session id drawn
/// at random for that leg, and a version that RFC 3264 §8 ties to content: a description that differs from the
/// last one sent on the leg carries the previous version plus one, an identical one (a 2xx repeating the 183's
/// answer, a session refresh) the same version.
struct LegOrigins: Sendable {
    /// The username Gatehouse writes: RFC 8866's "no user ids", which says nothing about anybody.
    static let username = "-"

    /// Each leg's session id, which is also its first version.
    private let sessionIDs: [MediaLeg: String]
    /// The last description sent toward each leg, stamped.
    private var sent: [MediaLeg: SessionDescription] = [:]

    init(random: inout some RandomNumberGenerator) {
        var sessionIDs: [MediaLeg: String] = [:]
        for leg in MediaLeg.allCases {
            // At most 62 bits: a value any implementation reading the id as a signed 64-bit number accepts, and
            // room for the version (which starts here) to grow.
            sessionIDs[leg] = String(UInt64.random(in: 1...(1 << 62), using: &random))
        }
        self.sessionIDs = sessionIDs
    }

    /// `description` (already rewritten for `leg`, its `o=` address Gatehouse's there) with Gatehouse's `o=` for
    /// the leg: the last version sent there when nothing else changed, the next one when something did.
    func stamped(_ description: SessionDescription, toward leg: MediaLeg) -> SessionDescription {
        var stamped = description
        let sessionID = sessionIDs[leg] ?? "1"
        guard let previous = sent[leg] else {
            stamped.origin = origin(of: description, sessionID: sessionID, version: sessionID)
            return stamped
        }
        stamped.origin = previous.origin
        stamped.origin.address = description.origin.address
        stamped.origin.addressType = description.origin.addressType
        if stamped != previous { stamped.origin.incrementVersion() }
        return stamped
    }

    /// Notes `stamped` (from `stamped(_:toward:)`) as sent toward `leg`: the next description there is versioned
    /// against it.
    mutating func send(_ stamped: SessionDescription, toward leg: MediaLeg) {
        sent[leg] = stamped
    }

    private func origin(of description: SessionDescription, sessionID: String, version: String) -> Origin {
        Origin(
            username: Self.username, sessionID: sessionID, sessionVersion: version,
            networkType: description.origin.networkType, addressType: description.origin.addressType,
            address: description.origin.address)
    }
}
