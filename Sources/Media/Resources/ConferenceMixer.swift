/// Mixes a conference of G.711 participants, one 20 ms frame per tick: each participant hears the sum of everyone
/// else and not themselves (an "N−1" mix), in the law it negotiated.
///
/// Per tick, each participant's waiting frame is decoded once to 16-bit linear; the sum of all of them is kept in
/// 32-bit, and each output is that sum minus the participant's own frame, saturated to 16 bits, then encoded. A
/// participant that sent nothing this tick (a lost packet, silence suppression, on hold) contributes silence. Frames
/// that arrive faster than ticks wait in a short queue per participant (a few frames: jitter, not a buffer for a
/// sender that runs fast; the oldest is dropped beyond it).
public struct ConferenceMixer<Participant: Hashable & Sendable>: Sendable {
    /// The cap the issue sets: mixing cost grows with the count, and 32 keeps one tick well under a millisecond.
    public static var defaultCapacity: Int { 32 }
    /// Frames held per participant before the oldest is dropped.
    public static var queueDepth: Int { 4 }

    public let capacity: Int
    private var members: [Participant: Member] = [:]
    /// Join order, so that outputs come out in a stable order.
    private var order: [Participant] = []

    private struct Member: Sendable {
        var law: G711Law
        var queue: [[UInt8]] = []
    }

    public init(capacity: Int = defaultCapacity) {
        self.capacity = capacity
    }

    public var participants: [Participant] { order }
    public var isFull: Bool { order.count >= capacity }

    /// Adds a participant; false when the room is full (the caller answers 486 or 480) or it is already in.
    @discardableResult
    public mutating func join(_ participant: Participant, law: G711Law) -> Bool {
        guard members[participant] == nil, !isFull else { return false }
        members[participant] = Member(law: law)
        order.append(participant)
        return true
    }

    public mutating func leave(_ participant: Participant) {
        guard members.removeValue(forKey: participant) != nil else { return }
        order.removeAll { $0 == participant }
    }

    /// A received G.711 payload (160 bytes for 20 ms; shorter frames are padded with silence, longer ones cut).
    public mutating func receive(_ payload: [UInt8], from participant: Participant) {
        guard var member = members[participant] else { return }
        if member.queue.count >= Self.queueDepth { member.queue.removeFirst() }
        member.queue.append(payload)
        members[participant] = member
    }

    /// One 20 ms mix: each participant's frame to send, in join order.
    public mutating func tick() -> [(participant: Participant, payload: [UInt8])] {
        let frameSize = RTPPacketizer.samplesPerFrame
        var total = [Int32](repeating: 0, count: frameSize)
        var own: [Participant: [Int32]] = [:]
        for participant in order {
            guard var member = members[participant], !member.queue.isEmpty else { continue }
            let frame = member.queue.removeFirst()
            members[participant] = member
            var linear = [Int32](repeating: 0, count: frameSize)
            for index in 0..<min(frameSize, frame.count) {
                linear[index] = Int32(member.law.decode(frame[index]))
                total[index] += linear[index]
            }
            own[participant] = linear
        }
        return order.compactMap { participant in
            guard let member = members[participant] else { return nil }
            let mine = own[participant]
            var payload = [UInt8](repeating: 0, count: frameSize)
            for index in 0..<frameSize {
                let mixed = total[index] - (mine?[index] ?? 0)
                payload[index] = member.law.encode(Int16(clamping: mixed))
            }
            return (participant, payload)
        }
    }
}
