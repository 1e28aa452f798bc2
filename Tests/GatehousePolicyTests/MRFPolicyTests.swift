import GatehousePolicy
import Testing

/// `mrf:`: the PSI domain, announcements, tones, conference limits and menus, and what is refused.
struct MRFPolicyTests {
    static let head = """
        version: 1
        node: { name: n }
        realms: { a: { listen: ["udp://127.0.0.1:5060"] } }

        """

    @Test func everyKey() throws {
        let policy = try PolicyFixtures.load(
            Self.head + """
                mrf:
                  domain: mrf.ims.gatehouse.test
                  announcements: { welcome: prompts/welcome.wav, hours: /srv/hours.WAV }
                  tones: us
                  conferences: { max_participants: 8, max_rooms: 5 }
                  menus:
                    main:
                      prompt: welcome
                      digits: { "1": announce=hours, "2": menu=other, "0": "sip:operator@example.net", "#": "tel:+15550100002" }
                      timeout: 3s
                      attempts: 2
                    other: { prompt: hours, digits: {} }
                """)
        let mrf = try #require(policy.mrf)
        #expect(mrf.domain == "mrf.ims.gatehouse.test")
        #expect(mrf.announcements == ["welcome": "prompts/welcome.wav", "hours": "/srv/hours.WAV"])
        #expect(mrf.tones == .us && mrf.maxParticipants == 8 && mrf.maxRooms == 5)
        #expect(
            mrf.menus["main"]
                == MRFMenuSettings(
                    prompt: "welcome",
                    digits: [
                        "1": .announcement("hours"), "2": .menu("other"), "0": .transfer("sip:operator@example.net"),
                        "#": .transfer("tel:+15550100002"),
                    ], timeout: .seconds(3), attempts: 2))
        #expect(mrf.menus["other"] == MRFMenuSettings(prompt: "hours", digits: [:]))
    }

    @Test func defaults() throws {
        let mrf = try #require(try PolicyFixtures.load(Self.head + "mrf: { domain: mrf.example }\n").mrf)
        #expect(mrf == MRFSettings(domain: "mrf.example"))
        #expect(mrf.tones == .eu && mrf.maxParticipants == 32 && mrf.maxRooms == 64)
        #expect(try PolicyFixtures.load(Self.head).mrf == nil)
    }

    @Test func problemsAreReportedWhereTheyAre() {
        let found = PolicyFixtures.diagnostics(
            Self.head + """
                mrf:
                  domain: mrf.example
                  announcements: { ok: ok.wav, bad name: x.wav, mp3: song.mp3 }
                  tones: jp
                  conferences: { max_participants: 33, rooms: 2 }
                  menus:
                    main: { prompt: ok, digits: { "1": announce=missing, "12": announce=ok, "E": announce=ok, "2": menu=none, "3": "http://x" }, timeout: 2m }
                    nameless: { prompt: missing, digits: {} }
                    short: { prompt: ok }
                """)
        let summary = found.map { "\($0.line):\($0.code)" }
        #expect(
            summary == [
                "6:bad-name", "6:bad-value", "7:bad-value", "8:unknown-key", "8:bad-value", "10:bad-target",
                "10:bad-value", "10:bad-value", "10:bad-target", "10:bad-target", "10:bad-value", "11:bad-target",
                "12:missing-key",
            ], "\(found)")
        #expect(found.contains { $0.message.contains("no announcement 'missing'") })
        let domains = ["sip:mrf.example", "mrf.example:5060", "a@b", ""].map {
            PolicyFixtures.diagnostics(Self.head + "mrf: { domain: \"\($0)\" }\n").map(\.code)
        }
        #expect(domains.allSatisfy { $0 == [.badValue] }, "\(domains)")
        #expect(PolicyFixtures.diagnostics(Self.head + "mrf: { tones: eu }\n").map(\.code) == [.missingKey])
    }

    /// A route may send calls to a PSI of the MRF; a PSI outside its domain, or naming what the MRF lacks, is refused
    /// where it is written.
    @Test func routesToThePSIs() throws {
        let mrf = """
            mrf: { domain: mrf.example, announcements: { closed: closed.wav }, menus: { main: { prompt: closed, digits: {} } } }

            """
        let policy = try PolicyFixtures.load(
            Self.head + mrf + """
                routes:
                  - { match: { user: "closed" }, to: "sip:announce=closed@mrf.example" }
                  - { match: { user: "team" }, to: "sip:conf=team@MRF.example" }
                  - { match: { user: "busy" }, to: "sip:tone=busy@mrf.example" }
                  - { match: {}, to: "sip:menu=main@mrf.example" }
                """)
        #expect(
            policy.routes.routes.map(\.target) == [
                .mrf("sip:announce=closed@mrf.example"), .mrf("sip:conf=team@MRF.example"),
                .mrf("sip:tone=busy@mrf.example"), .mrf("sip:menu=main@mrf.example"),
            ])
        let bad = PolicyFixtures.diagnostics(
            Self.head + mrf + """
                routes:
                  - { match: { user: "a" }, to: "sip:announce=open@mrf.example" }
                  - { match: { user: "b" }, to: "sip:menu=other@mrf.example" }
                  - { match: { user: "c" }, to: "sip:tone=dial@mrf.example" }
                  - { match: { user: "d" }, to: "sip:announce=closed@other.example" }
                  - { match: { user: "e" }, to: "sip:closed@mrf.example" }
                  - { match: { user: "f" }, to: "sips:announce=closed@mrf.example" }
                """)
        #expect(bad.map { "\($0.line):\($0.code)" } == (6...11).map { "\($0):bad-target" }, "\(bad)")
        #expect(bad.first?.message.contains("no announcement 'open'") == true)
        let withoutMRF = PolicyFixtures.diagnostics(
            Self.head + "routes: [ { match: {}, to: \"sip:announce=closed@mrf.example\" } ]\n")
        #expect(withoutMRF.map(\.code) == [.badTarget])
    }

    /// `refusals`: a refusal's status → an announcement it is told with; checked where it is written.
    @Test func refusalsNameAnnouncements() throws {
        let policy = try PolicyFixtures.load(
            Self.head + """
                mrf:
                  domain: mrf.example
                  announcements: { not-in-service: nis.wav, barred: barred.wav }
                  refusals: { 404: not-in-service, 604: not-in-service, 403: barred }
                """)
        #expect(policy.mrf?.refusals == [404: "not-in-service", 604: "not-in-service", 403: "barred"])
        let found = PolicyFixtures.diagnostics(
            Self.head + """
                mrf:
                  domain: mrf.example
                  announcements: { barred: barred.wav }
                  refusals: { 404: missing, 200: barred, 487: barred, busy: barred, 480: [barred], 403: barred }
                """)
        #expect(
            found.map { "\($0.line):\($0.column):\($0.code)" } == [
                "7:20:bad-target", "7:29:bad-status", "7:42:bad-status", "7:55:bad-status", "7:74:wrong-type",
            ], "\(found)")
        #expect(
            found.first { $0.code == .badTarget }?.message.contains("'missing' is not one of mrf.announcements") == true
        )
        #expect(found.filter { $0.code == .badStatus }.count == 3, "\(found)")
    }
}
