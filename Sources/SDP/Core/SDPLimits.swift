/// Bounds the parser enforces before it allocates, so a hostile body costs at most a known amount of work.
///
/// Each bound has its own error code (`SDPParseError.Code.tooLarge`, `.lineTooLong`, …), so a counter can say
/// which one callers hit. The defaults are several times what real offers need: a browser offer with audio, video,
/// a data channel and a dozen ICE candidates is about 6 KB, 250 lines and 120 attributes in its video section.
public struct SDPLimits: Sendable, Hashable {
    /// Largest body in bytes. The parser checks this first and copies nothing larger.
    public var maxSize: Int
    /// Longest line in bytes, line ending excluded.
    public var maxLineLength: Int
    /// Most lines in the whole body.
    public var maxLines: Int
    /// Most `m=` sections.
    public var maxMediaSections: Int
    /// Most `a=` lines at the session level and in each media section.
    public var maxAttributesPerSection: Int
    /// Most formats (payload types) on one `m=` line.
    public var maxFormatsPerMedia: Int

    /// - Parameters:
    ///   - maxSize: 64 KiB, the most a SIP message over UDP can carry anyway.
    ///   - maxLineLength: 4096 bytes; the longest real lines (`a=fmtp` with H.264 parameter sets, `a=candidate`
    ///     with extensions) stay under 1 KB.
    ///   - maxLines: 2048.
    ///   - maxMediaSections: 32; BUNDLEd conferences with simulcast use a dozen.
    ///   - maxAttributesPerSection: 256; a browser's video section carries about 120 (rtpmap, fmtp and rtcp-fb
    ///     for every codec, extmap, ssrc).
    ///   - maxFormatsPerMedia: 128, the number of RTP payload types.
    public init(
        maxSize: Int = 65_536,
        maxLineLength: Int = 4096,
        maxLines: Int = 2048,
        maxMediaSections: Int = 32,
        maxAttributesPerSection: Int = 256,
        maxFormatsPerMedia: Int = 128
    ) {
        self.maxSize = maxSize
        self.maxLineLength = maxLineLength
        self.maxLines = maxLines
        self.maxMediaSections = maxMediaSections
        self.maxAttributesPerSection = maxAttributesPerSection
        self.maxFormatsPerMedia = maxFormatsPerMedia
    }
}
