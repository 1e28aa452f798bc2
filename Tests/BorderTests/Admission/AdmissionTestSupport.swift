import Border
import GatehousePolicy
import SIPMessage

/// A fake time source for admission tests: starts at the epoch and moves only when told.
struct FakeTime {
    private(set) var now = AdmissionInstant.zero

    mutating func advance(by duration: Duration) {
        now = now + duration
    }
}

/// `a.b.c.d` as a source address.
func ipv4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> IPAddress {
    .v4(IPv4Address(a, b, c, d))
}

/// The instant `seconds` after the epoch.
func at(_ seconds: Int64) -> AdmissionInstant {
    AdmissionInstant(nanoseconds: seconds * 1_000_000_000)
}

/// The instant `milliseconds` after the epoch.
func atMilliseconds(_ milliseconds: Int64) -> AdmissionInstant {
    AdmissionInstant(nanoseconds: milliseconds * 1_000_000)
}

extension AdmissionContext {
    /// A message in the lab's interconnect realm.
    static func message(
        from source: IPAddress, peer: String? = nil, realm: String = "interconnect", method: SIPMethod = .invite,
        initial: Bool = true, response: Bool = false, callID: String = "call-1", at now: AdmissionInstant
    ) -> AdmissionContext {
        AdmissionContext(
            source: source, realm: realm, peer: peer, method: method, isInitialRequest: initial, isResponse: response,
            callID: callID, now: now)
    }
}
