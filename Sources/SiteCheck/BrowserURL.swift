import SiteModel

/// A link as a browser resolves it on a page (WHATWG URL parsing, for a relative URL on an `http(s):` or
/// `file:` page): spaces and controls at either end dropped, tabs and newlines anywhere dropped, `\` read as
/// `/`, `.`/`..` (also written `%2e`) resolved, then percent-decoded — the bytes of the file a server or
/// the disk is asked for, with no Unicode normalization, so a file saved as NFD and linked as NFC is caught.
struct BrowserURL {
    /// The link with what a browser ignores removed (what it really follows).
    var cleaned: String
    /// Percent-decoded bytes of the path relative to the site root (the page's folder applied).
    var path: [UInt8]
    /// The path as written (before decoding) ended in `/`, or was empty.
    var isFolder: Bool
    /// The link names no path: it stays on the same page.
    var isSamePage: Bool
    var fragment: [UInt8]?
    /// The path part as written, for messages (`../a/`).
    var writtenPath: Substring

    enum Failure: Error {
        case rootRelative
        case aboveRoot
    }

    /// What a browser does with `url` on a page whose folder is `folder` (relative to the site root). Works on
    /// the bytes, appending each segment to the path as it is decoded: a 10,000-page site has some 300,000
    /// links to resolve.
    static func resolve(_ url: String, folder: String) -> Result<BrowserURL, Failure> {
        let cleaned = clean(url)
        var text = cleaned
        return text.withUTF8 { bytes in resolve(bytes, cleaned: cleaned, folder: folder) }
    }

    private static func resolve(_ bytes: UnsafeBufferPointer<UInt8>, cleaned: String, folder: String) -> Result<BrowserURL, Failure> {
        var end = bytes.count
        var fragment: [UInt8]?
        if let hash = bytes.firstIndex(of: UInt8(ascii: "#")) {
            fragment = decode(bytes[(hash + 1)...])
            end = hash
        }
        if let question = bytes[..<end].firstIndex(of: UInt8(ascii: "?")) { end = question }
        let written = Substring(cleaned.utf8.prefix(end))
        if end > 0, bytes[0] == UInt8(ascii: "/") { return .failure(.rootRelative) }
        if end == 0 {
            return .success(BrowserURL(cleaned: cleaned, path: [], isFolder: false, isSamePage: true, fragment: fragment, writtenPath: written))
        }
        // The path so far, and where each of its segments starts.
        var path: [UInt8] = []
        path.reserveCapacity(folder.utf8.count + end)
        var starts: [Int] = []
        starts.reserveCapacity(8)
        for segment in folder.utf8.split(separator: UInt8(ascii: "/")) {
            if !path.isEmpty { path.append(UInt8(ascii: "/")) }
            starts.append(path.count)
            path += segment
        }
        var partStart = 0
        var lastDots = 0
        while partStart <= end {
            var partEnd = partStart
            while partEnd < end, bytes[partEnd] != UInt8(ascii: "/") { partEnd += 1 }
            let last = partEnd == end
            let part = bytes[partStart..<partEnd]
            lastDots = dots(part)
            switch lastDots {
            case 1:
                break
            case 2:
                guard let start = starts.popLast() else { return .failure(.aboveRoot) }
                path.removeSubrange(max(start - 1, 0)...)
            default:
                if partEnd > partStart {
                    if !path.isEmpty { path.append(UInt8(ascii: "/")) }
                    starts.append(path.count)
                    appendDecoded(part, to: &path)
                }
            }
            if last { break }
            partStart = partEnd + 1
        }
        let isFolder = bytes[end - 1] == UInt8(ascii: "/") || lastDots > 0
        return .success(BrowserURL(cleaned: cleaned, path: path, isFolder: isFolder, isSamePage: false, fragment: fragment, writtenPath: written))
    }

    /// Leading and trailing C0 controls and spaces dropped, tabs and newlines removed, `\` made `/`.
    static func clean(_ url: String) -> String {
        guard url.utf8.contains(where: { $0 <= 0x20 || $0 == UInt8(ascii: "\\") }) else { return url }
        var bytes = Array(url.utf8)
        while let first = bytes.first, first <= 0x20 { bytes.removeFirst() }
        while let last = bytes.last, last <= 0x20 { bytes.removeLast() }
        bytes.removeAll { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        return String(decoding: bytes.map { $0 == UInt8(ascii: "\\") ? UInt8(ascii: "/") : $0 }, as: UTF8.self)
    }

    /// 1 for a `.` segment, 2 for `..`, as the URL standard reads them (`%2e` counts as a dot), else 0.
    static func dots(_ segment: some Collection<UInt8>) -> Int {
        var count = 0
        var index = segment.startIndex
        while index < segment.endIndex {
            if segment[index] == UInt8(ascii: ".") {
                index = segment.index(after: index)
            } else if segment[index] == UInt8(ascii: "%"), segment.distance(from: index, to: segment.endIndex) > 2,
                      segment[segment.index(index, offsetBy: 1)] == UInt8(ascii: "2"),
                      segment[segment.index(index, offsetBy: 2)] | 0x20 == UInt8(ascii: "e") {
                index = segment.index(index, offsetBy: 3)
            } else {
                return 0
            }
            count += 1
            if count > 2 { return 0 }
        }
        return count
    }

    /// `text` percent-decoded (see `decode`) onto the end of `out`.
    static func appendDecoded(_ text: Slice<UnsafeBufferPointer<UInt8>>, to out: inout [UInt8]) {
        guard text.contains(UInt8(ascii: "%")) else { return out.append(contentsOf: text) }
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == UInt8(ascii: "%"), index + 2 < text.endIndex,
               let high = hexValue(text[index + 1]), let low = hexValue(text[index + 2]) {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(text[index])
                index += 1
            }
        }
    }

    /// Percent-decoding on bytes; a `%` not followed by two hex digits stays as it is (as browsers and
    /// servers do).
    static func decode(_ text: Slice<UnsafeBufferPointer<UInt8>>) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(text.count)
        appendDecoded(text, to: &result)
        return result
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
