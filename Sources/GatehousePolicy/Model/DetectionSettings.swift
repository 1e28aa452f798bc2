/// What the border does about attack patterns it recognizes (the `detection:` section): known scanners, sweeps of
/// many request targets, extension enumeration and storms of malformed messages. Brute force against
/// authentication has its own settings (`ims.authentication`), floods are the rate limits' (`admission`).
///
/// Every detection is on by default with thresholds no well-behaved client reaches; known peers are never
/// counted (they are parties the policy names, not anonymous probes), and the blocklist never blocks an allowlisted
/// address or a trusted peer.
public struct DetectionSettings: Sendable, Hashable {
    /// What a detection does to its source.
    public enum Action: String, Sendable, Hashable, CaseIterable {
        /// The source goes onto the blocklist for `blockFor` (escalated for a repeat; mirrored into the kernel
        /// when `firewall.kernel_blocklist` is on).
        case block
        /// The source's messages are dropped in user space for the detection's window; no blocklist entry.
        case drop
        /// Counted and logged; messages are handled as usual.
        case log
    }

    /// A detection that counts events per source in a sliding window.
    public struct Threshold: Sendable, Hashable {
        /// Events (distinct targets for sweeps and enumeration) within `window` that trigger it.
        public var count: Int
        public var window: Duration
        public var action: Action

        public init(count: Int, window: Duration, action: Action = .block) {
            self.count = count
            self.window = window
            self.action = action
        }
    }

    /// What a request from a known scanner (`sanity.scanners`) also does to its source. Default `.block`.
    public var scanners: Action
    /// One source sending out-of-dialog OPTIONS or REGISTER to many distinct Request-URIs. Default 20 within
    /// 60 s, block; nil for off.
    public var sweeps: Threshold?
    /// One source collecting 401, 403, 404, 407 or 484 answers for many distinct users (the To user): probing
    /// which extensions exist. Default 10 within 60 s, block; nil for off.
    public var enumeration: Threshold?
    /// One source sending many malformed messages: unparseable ones and those the sanity stage refuses. Default 20
    /// within 10 s, block; nil for off.
    public var malformed: Threshold?
    /// How long a detection's first block lasts; a repeat doubles it (up to `admission.block.max`). Default 1 h.
    public var blockFor: Duration

    public init(
        scanners: Action = .block, sweeps: Threshold? = Threshold(count: 20, window: .seconds(60)),
        enumeration: Threshold? = Threshold(count: 10, window: .seconds(60)),
        malformed: Threshold? = Threshold(count: 20, window: .seconds(10)), blockFor: Duration = .seconds(3600)
    ) {
        self.scanners = scanners
        self.sweeps = sweeps
        self.enumeration = enumeration
        self.malformed = malformed
        self.blockFor = blockFor
    }
}
