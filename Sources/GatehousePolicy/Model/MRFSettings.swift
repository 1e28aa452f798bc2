/// The media resource function (`mrf:`): the domain its public service identities (PSIs) live in, the announcement
/// files, the tone family, the conference limits and the DTMF menus. A call whose request URI is
/// `sip:announce=NAME@DOMAIN`, `sip:conf=ROOM@DOMAIN`, `sip:tone=busy@DOMAIN` or `sip:menu=NAME@DOMAIN` is answered by
/// the MRF.
public struct MRFSettings: Sendable, Hashable {
    /// Which E.180 tone family the MRF plays.
    public enum ToneFamily: String, Sendable, Hashable, CaseIterable {
        /// CEPT/ETSI: 425 Hz.
        case eu
        /// North American precise tones: pairs (440+480 Hz ringback, 480+620 Hz busy and reorder).
        case us
    }

    /// The host part of the MRF's PSIs.
    public var domain: String
    /// Announcement name → WAV file (relative paths: against the policy file's directory).
    public var announcements: [String: String]
    public var tones: ToneFamily
    /// Participants per conference room (1–32: the mixer's cap).
    public var maxParticipants: Int
    /// Conference rooms the node runs at once.
    public var maxRooms: Int
    public var menus: [String: MRFMenuSettings]
    /// Final status (400–699) → announcement: an initial INVITE the routing refuses with that status (no route,
    /// ENUM, the IMS core) hears the announcement in early media (183 with SDP) before the status goes out.
    public var refusals: [Int: String]

    public static let defaultMaxParticipants = 32
    public static let defaultMaxRooms = 64

    public init(
        domain: String, announcements: [String: String] = [:], tones: ToneFamily = .eu,
        maxParticipants: Int = MRFSettings.defaultMaxParticipants, maxRooms: Int = MRFSettings.defaultMaxRooms,
        menus: [String: MRFMenuSettings] = [:], refusals: [Int: String] = [:]
    ) {
        self.domain = domain
        self.announcements = announcements
        self.tones = tones
        self.maxParticipants = maxParticipants
        self.maxRooms = maxRooms
        self.menus = menus
        self.refusals = refusals
    }
}

/// One DTMF menu: the announcement that states the choices, and where each digit leads.
public struct MRFMenuSettings: Sendable, Hashable {
    /// Where a digit leads.
    public enum Target: Sendable, Hashable {
        /// `announce=NAME`: play it, then hang up.
        case announcement(String)
        /// `menu=NAME`: another menu.
        case menu(String)
        /// A `sip:`, `sips:` or `tel:` URI: the call is transferred there.
        case transfer(String)
    }

    /// The announcement played as the prompt.
    public var prompt: String
    /// Digit (`0`–`9`, `*`, `#`, `A`–`D`) → target.
    public var digits: [Character: Target]
    /// How long the MRF waits for a digit after the prompt.
    public var timeout: Duration
    /// How many times the prompt is played before the MRF hangs up.
    public var attempts: Int

    public static let defaultTimeout = Duration.seconds(5)
    public static let defaultAttempts = 3

    public init(
        prompt: String, digits: [Character: Target], timeout: Duration = MRFMenuSettings.defaultTimeout,
        attempts: Int = MRFMenuSettings.defaultAttempts
    ) {
        self.prompt = prompt
        self.digits = digits
        self.timeout = timeout
        self.attempts = attempts
    }
}
