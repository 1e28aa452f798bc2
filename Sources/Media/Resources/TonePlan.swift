/// A call-progress tone as data: the frequencies sounded together, their level, and the on/off cadence that repeats.
///
/// The plans follow ITU-T E.180 (and its Supplement 2, the national tone list): the European (CEPT, ETSI ES 201 970)
/// family uses a single 425 Hz tone, the North American (ANSI T1.401 "precise tones") family uses pairs. Which family
/// a node plays is the routing policy's `mrf.tones` (`eu` or `us`).
public struct TonePlan: Sendable, Hashable {
    /// One step of the cadence: sound (or silence) for a number of milliseconds.
    public struct Step: Sendable, Hashable {
        public var milliseconds: Int
        public var sounding: Bool

        public static func on(_ milliseconds: Int) -> Step { Step(milliseconds: milliseconds, sounding: true) }
        public static func off(_ milliseconds: Int) -> Step { Step(milliseconds: milliseconds, sounding: false) }
    }

    public var frequencies: [Double]
    /// Level of each frequency component, in dBm0 (G.711's 0 dBm0 is a sine of peak 22 656 in 16-bit terms).
    public var levelDBm0: Double
    /// Repeats; empty means a continuous tone.
    public var cadence: [Step]

    public init(frequencies: [Double], levelDBm0: Double = -13, cadence: [Step]) {
        self.frequencies = frequencies
        self.levelDBm0 = levelDBm0
        self.cadence = cadence
    }
}

/// The tones an MRF plays.
public enum CallProgressTone: String, Sendable, Hashable, CaseIterable {
    /// The far end is being alerted.
    case ringback
    /// The far end is busy.
    case busy
    /// The network cannot complete the call (also called reorder or fast busy).
    case congestion
}

/// The two tone families E.180 describes that a node chooses between.
public enum ToneFamily: String, Sendable, Hashable, CaseIterable {
    /// CEPT / ETSI: 425 Hz. Ringback 1 s on, 4 s off; busy 0.5 s / 0.5 s; congestion 0.25 s / 0.25 s.
    case european = "eu"
    /// North America: ringback 440+480 Hz 2 s on, 4 s off; busy 480+620 Hz 0.5 s / 0.5 s; reorder 480+620 Hz
    /// 0.25 s / 0.25 s.
    case northAmerican = "us"

    public func plan(for tone: CallProgressTone) -> TonePlan {
        switch (self, tone) {
        case (.european, .ringback): TonePlan(frequencies: [425], cadence: [.on(1000), .off(4000)])
        case (.european, .busy): TonePlan(frequencies: [425], cadence: [.on(500), .off(500)])
        case (.european, .congestion): TonePlan(frequencies: [425], cadence: [.on(250), .off(250)])
        case (.northAmerican, .ringback):
            TonePlan(frequencies: [440, 480], levelDBm0: -19, cadence: [.on(2000), .off(4000)])
        case (.northAmerican, .busy):
            TonePlan(frequencies: [480, 620], levelDBm0: -24, cadence: [.on(500), .off(500)])
        case (.northAmerican, .congestion):
            TonePlan(frequencies: [480, 620], levelDBm0: -24, cadence: [.on(250), .off(250)])
        }
    }
}
