/// One MRF call's media as a value: what goes out every 20 ms (an announcement, a tone, or silence) and what comes
/// in (RFC 4733 digits for a menu). The edge calls `tick(at:)` on a 20 ms timer and sends the packet it returns, and
/// hands every received datagram to `receive(_:at:)`; the events go back to the call's `MRFSession`.
///
/// Silence is sent as G.711 silence frames rather than nothing, so the caller's jitter buffer, NAT bindings and
/// Gatehouse's own media-silence timeout all see a live stream while a menu waits for a digit. On hold nothing is
/// sent, but the RTP clock keeps running, so the timestamps after the hold tell the truth about the gap.
public struct MRFPlayout: Sendable {
    /// What the playout tells its owner.
    public enum Event: Sendable, Hashable {
        /// The last frame of the announcement has been sent.
        case announcementFinished
        /// The DTMF collector finished an entry or timed out.
        case digits(DTMFCollector.Outcome)
    }

    private enum Source: Sendable {
        case silence
        case announcement([UInt8], offset: Int)
        case tone(ToneGenerator)
    }

    public let law: G711Law
    public let telephoneEventPayloadType: UInt8?
    public private(set) var packetizer: RTPPacketizer
    public private(set) var isPaused = false
    private var source = Source.silence
    private var collector: DTMFCollector?

    public init(
        law: G711Law, payloadType: UInt8? = nil, telephoneEventPayloadType: UInt8?, ssrc: UInt32,
        firstSequenceNumber: UInt16, firstTimestamp: UInt32
    ) {
        self.law = law
        self.telephoneEventPayloadType = telephoneEventPayloadType
        packetizer = RTPPacketizer(
            payloadType: payloadType ?? law.payloadType, ssrc: ssrc, firstSequenceNumber: firstSequenceNumber,
            firstTimestamp: firstTimestamp)
    }

    /// Plays an announcement from its start (replacing whatever played).
    public mutating func play(_ audio: WAVAudio) {
        source = .announcement(audio.encoded(as: law), offset: 0)
        packetizer.startTalkspurt()
    }

    /// Plays a tone until something else is asked for.
    public mutating func play(_ plan: TonePlan) {
        source = .tone(ToneGenerator(plan: plan))
        packetizer.startTalkspurt()
    }

    /// Stops the announcement or tone; silence frames follow.
    public mutating func stop() { source = .silence }

    /// Starts collecting a single-key menu entry; the timeout counts from `now`.
    public mutating func collectDigits(timeout: Duration, maximumDigits: Int = 1, at now: Duration) {
        collector = DTMFCollector(interDigitTimeout: timeout, maximumDigits: maximumDigits, now: now)
    }

    /// Hold: nothing is sent until `resume()`.
    public mutating func pause() { isPaused = true }

    public mutating func resume() {
        guard isPaused else { return }
        isPaused = false
        packetizer.startTalkspurt()
    }

    /// The 20 ms timer: the packet to send now (nil while on hold) and what happened.
    public mutating func tick(at now: Duration) -> (packet: [UInt8]?, events: [Event]) {
        var events: [Event] = []
        if let outcome = collector?.expire(at: now) {
            collector = nil
            events.append(.digits(outcome))
        }
        let frameSize = RTPPacketizer.samplesPerFrame
        var frame: [UInt8]
        switch source {
        case .silence:
            frame = [UInt8](repeating: law.silence, count: frameSize)
        case .tone(var generator):
            frame = law.encode(generator.next())
            source = .tone(generator)
        case .announcement(let bytes, let offset):
            let end = min(offset + frameSize, bytes.count)
            frame = Array(bytes[offset..<end]) + [UInt8](repeating: law.silence, count: frameSize - (end - offset))
            if end >= bytes.count {
                source = .silence
                events.append(.announcementFinished)
            } else {
                source = .announcement(bytes, offset: end)
            }
        }
        guard !isPaused else {
            packetizer.skip(samples: frameSize)
            return (nil, events)
        }
        return (packetizer.packet(payload: frame), events)
    }

    /// A datagram from the caller: a telephone event (on the negotiated payload type) feeds the DTMF collector;
    /// audio is not needed by a player and is dropped.
    public mutating func receive(_ bytes: [UInt8], at now: Duration) -> [Event] {
        guard let telephoneEventPayloadType, var collector, let datagram = RTPDatagram(bytes: bytes),
            datagram.header.payloadType == telephoneEventPayloadType,
            let event = TelephoneEvent(payload: datagram.payload)
        else { return [] }
        let outcome = collector.receive(event, rtpTimestamp: datagram.header.timestamp, at: now)
        self.collector = outcome == nil ? collector : nil
        return outcome.map { [.digits($0)] } ?? []
    }
}
