/// What the MRF knows from the routing policy's `mrf:` section, translated by the assembly (the MRF does not read the
/// policy module): its domain, the announcement and menu names, the size of conference rooms.
public struct MRFConfiguration: Hashable, Sendable {
    /// The host part of the MRF's PSIs.
    public var domain: String
    /// Names of the announcements the policy lists (the files are the media edge's business).
    public var announcements: Set<String>
    /// Menus by name.
    public var menus: [String: MRFMenu]
    /// Participants per conference room (the mixer's cap is 32).
    public var maximumParticipants: Int
    /// Rooms the node runs at once.
    public var maximumRooms: Int
    /// Final status → announcement: a refused initial INVITE hears it in early media (`MRFEarlyAnnouncement`).
    public var refusals: [Int: String]

    /// - Parameters:
    ///   - maximumParticipants: defaults to 32, the mixer's cap.
    ///   - maximumRooms: defaults to 64: 64 rooms of 32 is 2048 mixed legs, about what one core mixes in real time.
    public init(
        domain: String, announcements: Set<String> = [], menus: [String: MRFMenu] = [:], maximumParticipants: Int = 32,
        maximumRooms: Int = 64, refusals: [Int: String] = [:]
    ) {
        self.domain = domain
        self.announcements = announcements
        self.menus = menus
        self.maximumParticipants = maximumParticipants
        self.maximumRooms = maximumRooms
        self.refusals = refusals
    }

    /// Checks that the resource exists: 404 for an announcement or menu the policy does not list.
    public func validate(_ resource: MRFResource) throws(MRFError) {
        switch resource {
        case .announcement(let name):
            guard announcements.contains(name) else {
                throw MRFError(.unknownAnnouncement, status: .notFound, "no announcement '\(name)'")
            }
        case .menu(let name):
            guard menus[name] != nil else { throw MRFError(.unknownMenu, status: .notFound, "no menu '\(name)'") }
        case .conference, .tone:
            break
        }
    }
}

/// A DTMF menu: a prompt, and what each digit leads to.
public struct MRFMenu: Hashable, Sendable {
    /// What a digit leads to.
    public enum Choice: Hashable, Sendable {
        /// Play this announcement, then hang up.
        case announcement(String)
        /// Go to another menu.
        case menu(String)
        /// Hand the call to this target (a SIP or tel URI, or a number); the assembly transfers it.
        case transfer(String)

        /// Reads the policy's spelling: `announce=NAME`, `menu=NAME`, or anything else as a transfer target.
        public init(_ text: String) {
            if text.hasPrefix("announce=") {
                self = .announcement(String(text.dropFirst("announce=".count)))
            } else if text.hasPrefix("menu=") {
                self = .menu(String(text.dropFirst("menu=".count)))
            } else {
                self = .transfer(text)
            }
        }
    }

    /// The announcement that tells the caller the choices.
    public var prompt: String
    public var choices: [Character: Choice]
    /// How long to wait for a digit after the prompt.
    public var timeout: Duration
    /// How many times the prompt plays (after a timeout or an unknown digit) before the MRF hangs up.
    public var attempts: Int

    public init(prompt: String, choices: [Character: Choice], timeout: Duration = .seconds(5), attempts: Int = 3) {
        self.prompt = prompt
        self.choices = choices
        self.timeout = timeout
        self.attempts = max(1, attempts)
    }
}
