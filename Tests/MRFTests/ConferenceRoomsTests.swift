import MRF
import Testing

@Suite struct ConferenceRoomsTests {
    @Test func aFullRoomIsBusyHere() throws {
        var rooms = ConferenceRooms<Int>(maximumParticipants: 32)
        for call in 0..<32 { try rooms.join("team", call: call) }
        try rooms.join("team", call: 5)  // twice is once
        #expect(rooms.participants(in: "team").count == 32)
        do {
            try rooms.join("team", call: 32)
            Issue.record("a 33rd participant joined")
        } catch {
            #expect(error.code == .roomFull && error.status.code == 486)
            #expect(error.detail.contains("32"))
        }
        rooms.leave("team", call: 0)
        try rooms.join("team", call: 32)
    }

    @Test func tooManyRoomsIsTemporarilyUnavailable() throws {
        var rooms = ConferenceRooms<String>(maximumParticipants: 4, maximumRooms: 2)
        try rooms.join("a", call: "1")
        try rooms.join("b", call: "2")
        #expect(throws: MRFError.self) { try rooms.join("c", call: "3") }
        do { try rooms.join("c", call: "3") } catch { #expect(error.status == .temporarilyUnavailable) }
        try rooms.join("a", call: "4")  // an existing room still takes people
        rooms.leave("b", call: "2")
        #expect(rooms.rooms["b"] == nil)
        try rooms.join("c", call: "3")
    }
}
