/// Collects DTMF digits from RFC 4733 telephone events for a menu: each digit counted once however many packets
/// carried it, gathered into a buffer until the caller stops typing.
///
/// A digit is one event, identified by its RTP timestamp (RFC 4733 §2.5.1.2: every packet of an event carries the
/// timestamp of its start). It counts when its first end packet arrives; the two retransmitted end packets (§2.5.1.4)
/// and any late update of the same event are ignored. If the end packets are all lost, the digit still counts when
/// the next event begins (§2.5.2.1: a new timestamp ends the previous event) or when the inter-digit timeout passes.
///
/// Time is injected (`at now: Duration`, from any fixed origin), so the timeout is tested without waiting.
public struct DTMFCollector: Sendable, Hashable {
    /// What the collector reports to its owner.
    public enum Outcome: Sendable, Hashable {
        /// The caller typed these digits and then paused for the inter-digit timeout, typed the terminator, or
        /// reached the maximum length.
        case digits(String)
        /// The first-digit timeout passed with nothing typed.
        case timedOut
    }

    /// Typing stops counting as one entry after this pause.
    public var interDigitTimeout: Duration
    /// An entry is complete at this many digits (1 for single-key menus).
    public var maximumDigits: Int
    /// A digit that ends the entry at once and is not part of it (usually `#`); nil for none.
    public var terminator: Character?

    public private(set) var buffer = ""
    private var lastEventTimestamp: UInt32?
    private var pendingDigit: Character?
    private var lastActivity: Duration

    /// - Parameter now: when collection starts (the prompt ended): the first digit is awaited from here.
    public init(interDigitTimeout: Duration, maximumDigits: Int = 1, terminator: Character? = "#", now: Duration) {
        self.interDigitTimeout = interDigitTimeout
        self.maximumDigits = max(1, maximumDigits)
        self.terminator = terminator
        self.lastActivity = now
    }

    /// One telephone-event packet: its RTP timestamp and payload. Returns the outcome if this digit completed an
    /// entry.
    public mutating func receive(_ event: TelephoneEvent, rtpTimestamp: UInt32, at now: Duration) -> Outcome? {
        guard let digit = event.digit else { return nil }
        if rtpTimestamp != lastEventTimestamp {
            // §2.5.2.1: a new event; one whose end was never seen is over now.
            let previous = pendingDigit
            lastEventTimestamp = rtpTimestamp
            pendingDigit = digit
            lastActivity = now
            if let previous, let outcome = accept(previous) { return outcome }
        } else {
            lastActivity = now
        }
        guard event.isEnd, let pending = pendingDigit else { return nil }
        pendingDigit = nil
        return accept(pending)
    }

    /// Call on a timer (the owner's tick): returns the entry if the pause since the last digit has reached the
    /// inter-digit timeout, or `.timedOut` if nothing was typed within it.
    public mutating func expire(at now: Duration) -> Outcome? {
        guard now - lastActivity >= interDigitTimeout else { return nil }
        if let pending = pendingDigit {
            pendingDigit = nil
            if let outcome = accept(pending) { return outcome }
        }
        lastActivity = now
        guard !buffer.isEmpty else { return .timedOut }
        return flush()
    }

    private mutating func accept(_ digit: Character) -> Outcome? {
        if digit == terminator { return flush() }
        buffer.append(digit)
        return buffer.count >= maximumDigits ? flush() : nil
    }

    private mutating func flush() -> Outcome {
        defer { buffer = "" }
        return .digits(buffer)
    }
}
