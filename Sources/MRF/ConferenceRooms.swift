/// The node's conference rooms and who is in each: a room exists from its first participant to its last. The
/// mixing runs in the Media module; this decides who may enter.
///
/// Seats are taken when the INVITE is answered (so a full room is refused with 486 before any media flows) and
/// freed when the call ends.
public struct ConferenceRooms<Call: Hashable & Sendable>: Sendable {
    public let maximumParticipants: Int
    public let maximumRooms: Int
    public private(set) var rooms: [String: [Call]] = [:]

    public init(maximumParticipants: Int = 32, maximumRooms: Int = 64) {
        self.maximumParticipants = maximumParticipants
        self.maximumRooms = maximumRooms
    }

    public init(configuration: MRFConfiguration) {
        self.init(maximumParticipants: configuration.maximumParticipants, maximumRooms: configuration.maximumRooms)
    }

    /// Takes a seat in `room` for `call`; joining twice is a no-op. 486 when the room is full (RFC 3261 §21.4.24:
    /// busy here, try later), 480 when a new room would exceed the node's count (§21.4.18: temporarily unavailable).
    public mutating func join(_ room: String, call: Call) throws(MRFError) {
        let members = rooms[room] ?? []
        if members.contains(call) { return }
        guard members.count < maximumParticipants else {
            throw MRFError(
                .roomFull, status: MRFError.busyHere, "room '\(room)' holds its maximum of \(maximumParticipants)")
        }
        guard !members.isEmpty || rooms.count < maximumRooms else {
            throw MRFError(
                .tooManyRooms, status: .temporarilyUnavailable, "the node runs its maximum of \(maximumRooms) rooms")
        }
        rooms[room] = members + [call]
    }

    /// Frees the seat; the room goes with its last participant.
    public mutating func leave(_ room: String, call: Call) {
        guard var members = rooms[room] else { return }
        members.removeAll { $0 == call }
        rooms[room] = members.isEmpty ? nil : members
    }

    public func participants(in room: String) -> [Call] { rooms[room] ?? [] }
}
